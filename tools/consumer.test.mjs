// @ts-check
// Installs each package as a consumer would, from the tarball `npm pack` makes of its build, into one
// throwaway project; compiles a small program against it with TypeScript's node16 resolution (as ESM and
// as CommonJS) and bundler resolution; then runs both programs against the API's Prism mock. The same for
// @techapi/sandbox: its programs start a sandbox and create a technician twice (200, then 409).
// Then MSW, installed beside them as a user would (msw 2 on Node 20, msw 3 where Node is >= 22.12): a program
// (tools/testing/consumer/msw-program.mts) shows which test doubles see each call of both clients with their
// defaults, that `undiciTransport()` bypasses MSW, and the sandbox's own MSW handlers at work.
// Needs the packages built (`npm test` builds them first; alone: `npm run build`).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listApis, repoRoot } from './apis.mjs';
import { pack } from './lint-package.mjs';
import { mockUrl } from './testing/mock-url.mjs';
import { listOperations } from './testing/spec.mjs';

const execFileAsync = promisify(execFile);
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

/**
 * What each API's consumer program does: one call that the mock answers with the operation's 200 example,
 * and one misuse that must not compile (it would, were the declarations `any`).
 * @typedef {object} ConsumerCall
 * @property {string} factory
 * @property {string} options     a TypeScript expression; `baseUrl` is in scope
 * @property {string} operationId the operation called; its first request example is `example`
 * @property {(example: string) => string} call
 * @property {string} misuse      a TypeScript expression that must be a type error; `client` is in scope
 */

/** @type {Record<string, ConsumerCall>} */
const consumerCalls = {
  'take-control': {
    factory: 'createTakeControlClient',
    options: `{ baseUrl, integrationKey: 'consumer-check-key' }`,
    operationId: 'createTechnician',
    call: (example) => `client.createTechnician(${example})`,
    misuse: `client.createTechnician({ email: 'no-name@example.com' })`,
  },
  technicien: {
    factory: 'createTechnicienClient',
    options: `{ baseUrl, credentials: { login: 'consumer', password: 'consumer-check-password' } }`,
    operationId: 'updateTechnicien', // a GET with a body: goes through the Node entry and its undici dependency
    call: (example) => `client.updateTechnicien(${example})`,
    misuse: `client.grantClientAccess({ emails: 'one@example.com', codeExploitant: 'EXP01', dateFin: '2026-12-31' })`,
  },
};

/** @param {ConsumerCall} consumer @param {string} packageName @param {unknown} example */
function programSource(consumer, packageName, example) {
  return `import { ${consumer.factory} } from '${packageName}';

async function main(): Promise<void> {
  const baseUrl = process.env.MOCK_URL;
  if (!baseUrl) throw new Error('MOCK_URL is not set');
  const client = ${consumer.factory}(${consumer.options});
  const { data, error } = await ${consumer.call(JSON.stringify(example))};
  if (error) throw new Error(\`\${error.kind} \${error.status} \${error.message}\`);
  console.log(JSON.stringify(data));
}

export function misuse(client: ReturnType<typeof ${consumer.factory}>) {
  // @ts-expect-error the declarations carry the spec's types
  return ${consumer.misuse};
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/** @techapi/sandbox, installed beside the clients: a program that starts it and creates one technician twice. */
const sandboxDir = join(repoRoot, 'packages/sandbox');
const sandboxProgram = `import { startSandbox } from '@techapi/sandbox';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ apis: ['take-control'] });
  try {
    const init = {
      method: 'POST',
      headers: { authorization: 'INTEGRATION-KEY your-private-key', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'john.doe@example.com', name: 'John Doe' }),
    };
    const url = \`\${sandbox.urls['take-control']}/tech\`;
    const statuses = [(await fetch(url, init)).status, (await fetch(url, init)).status];
    console.log(JSON.stringify({ statuses, stored: sandbox.state()['take-control']?.technicians.length }));
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** msw 3 needs Node >= 22.12; msw 2 runs on Node 20. The sandbox's peer range covers both. */
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const MSW = nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 12) ? 'msw@^3.0.5' : 'msw@^2.15.0';
const mswProgram = readFileSync(join(repoRoot, 'tools/testing/consumer/msw-program.mts'), 'utf8');

const apis = listApis().map((api) => {
  const packageName = JSON.parse(readFileSync(join(api.packageDir, 'package.json'), 'utf8')).name;
  return { api, packageName };
});

/** @param {string} file @param {string[]} args @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options */
async function run(file, args, options) {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { ...options, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = /** @type {{ code?: number, stdout?: string, stderr?: string }} */ (error);
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the packages as a consumer installs them', () => {
  const project = mkdtempSync(join(tmpdir(), 'consumer-'));
  /** @type {Map<string, unknown>} the 200 example each call should get back */
  const expected = new Map();

  beforeAll(async () => {
    const tarballs = [];
    for (const { api, packageName } of apis) {
      const consumer = consumerCalls[api.name];
      if (!consumer) throw new Error(`tools/consumer.test.mjs has no consumer call for ${api.name}: add one`);
      if (!existsSync(join(api.packageDir, 'dist'))) throw new Error(`${packageName} is not built: npm run build`);
      tarballs.push(join(project, pack(api.packageDir, project).filename));
      const operation = listOperations(api.name).find((candidate) => candidate.operationId === consumer.operationId);
      if (!operation) throw new Error(`${api.name} has no operation ${consumer.operationId}`);
      const source = programSource(consumer, packageName, operation.requestExamples[0]?.value);
      writeFileSync(join(project, `${api.name}.mts`), source);
      writeFileSync(join(project, `${api.name}.cts`), source);
      expected.set(api.name, operation.responseExamples.get(200)?.[0]?.value);
    }
    if (!existsSync(join(sandboxDir, 'dist'))) throw new Error('@techapi/sandbox is not built: npm run build');
    tarballs.push(join(project, pack(sandboxDir, project).filename));
    writeFileSync(join(project, 'sandbox.mts'), sandboxProgram);
    writeFileSync(join(project, 'sandbox.cts'), sandboxProgram);
    writeFileSync(join(project, 'msw.mts'), mswProgram); // a Node program: node16 resolution only
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const common = {
      target: 'ES2022',
      strict: true,
      skipLibCheck: false, // check the packages' declarations too
      types: ['node'],
      typeRoots: [join(repoRoot, 'node_modules/@types')],
    };
    const modules = [...apis.map(({ api }) => `${api.name}.mts`), 'sandbox.mts'];
    writeFileSync(
      join(project, 'tsconfig.node16.json'),
      JSON.stringify({ compilerOptions: { ...common, module: 'node16', moduleResolution: 'node16', outDir: 'out' }, files: [...modules, ...apis.map(({ api }) => `${api.name}.cts`), 'sandbox.cts'] }),
    );
    // msw's own declarations are not ours to check, and checking them doubles the compile: skipLibCheck.
    writeFileSync(
      join(project, 'tsconfig.msw.json'),
      JSON.stringify({ compilerOptions: { ...common, skipLibCheck: true, module: 'node16', moduleResolution: 'node16', outDir: 'out' }, files: ['msw.mts'] }),
    );
    writeFileSync(
      join(project, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...common, module: 'preserve', moduleResolution: 'bundler', noEmit: true }, files: modules }),
    );
    // The dependencies come from npm's cache (filled by the repo's own install); the registry only if missing.
    const install = await run('npm', ['install', ...tarballs, MSW, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project });
    if (install.code !== 0) throw new Error(`npm install of the tarballs failed:\n${install.stderr}`);
  }, 120_000);

  afterAll(async () => {
    rmSync(project, { recursive: true, force: true });
  });

  test('the installed packages come from the tarballs, with only their published files', () => {
    for (const packageName of [...apis.map((api) => api.packageName), '@techapi/sandbox']) {
      const installed = join(project, 'node_modules', packageName);
      expect(existsSync(join(installed, 'dist')), packageName).toBe(true);
      expect(existsSync(join(installed, 'src')), packageName).toBe(false);
      expect(existsSync(join(installed, 'LICENSE')), packageName).toBe(true);
    }
  });

  test('compiles with moduleResolution node16, as ESM (.mts) and as CommonJS (.cts)', async () => {
    const compileWith = (/** @type {string} */ config) => run(process.execPath, [tsc, '-p', config], { cwd: project });
    const [compile, mswCompile] = await Promise.all([compileWith('tsconfig.node16.json'), compileWith('tsconfig.msw.json')]);
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.code).toBe(0);
    expect(mswCompile.stdout + mswCompile.stderr).toBe('');
    expect(mswCompile.code).toBe(0);
    for (const { api, packageName } of apis) {
      expect(readFileSync(join(project, 'out', `${api.name}.cjs`), 'utf8')).toContain(`require("${packageName}")`);
      expect(readFileSync(join(project, 'out', `${api.name}.mjs`), 'utf8')).toContain(`from '${packageName}'`);
    }
  }, 60_000);

  test('compiles with moduleResolution bundler', async () => {
    const compile = await run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: project });
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.code).toBe(0);
  }, 60_000);

  describe.each(apis.map(({ api, packageName }) => ({ name: api.name, packageName })))('$packageName', ({ name }) => {
    test.each(['mjs', 'cjs'])('a call from the compiled .%s program gets the mock’s answer', async (extension) => {
      const program = join(project, 'out', `${name}.${extension}`);
      expect(existsSync(program), `${program} (compiled by the node16 test)`).toBe(true);
      const env = { ...process.env, MOCK_URL: mockUrl(name) };
      const result = await run(process.execPath, [program], { cwd: project, env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(expected.get(name));
    }, 30_000);
  });

  describe('@techapi/sandbox', () => {
    test.each(['mjs', 'cjs'])('the compiled .%s program starts a sandbox: 200 on the first create, 409 on the second', async (extension) => {
      const result = await run(process.execPath, [join(project, 'out', `sandbox.${extension}`)], { cwd: project });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ statuses: [200, 409], stored: 1 });
    }, 30_000);

    test(`with ${MSW.split('@^')[0]} ${MSW.split('@^')[1]?.split('.')[0]}, each call of both clients' defaults is seen by MSW, a replaced fetch and MockAgent; undiciTransport() is not seen by MSW; the sandbox's handlers conflict on a duplicate`, async () => {
      const program = join(project, 'out', 'msw.mjs');
      expect(existsSync(program), `${program} (compiled by the node16 test)`).toBe(true);
      expect(JSON.parse(readFileSync(join(project, 'node_modules/msw/package.json'), 'utf8')).version).toMatch(MSW.includes('^3') ? /^3\./ : /^2\./);
      const result = await run(process.execPath, [program], { cwd: project });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const every = ['createTechnician', 'createTechnicians', 'setTechnicianStatus', 'authenticate', 'grantClientAccess', 'updateTechnicien'];
      // msw 3 drops a GET's body before any handler runs: there the update is seen without it, and the
      // sandbox answers it as the API answers a missing body (Node 20's Request hands MSW an empty body,
      // Node 24's none at all: "body must be ..." or "a body is required").
      const msw3 = MSW.includes('^3');
      const echoed = msw3 ? { bodyDropped: true, nomTechnicien: 'from MSW' } : { id: 42, passwordValidityDurationNbDays: 30, nomTechnicien: 'from MSW' };
      expect(JSON.parse(result.stdout)).toEqual({
        mswMajor: msw3 ? 3 : 2,
        msw: { outcomes: ['ok', 'john.doe@example.com', 'ok', 'ok', 'ok', JSON.stringify(echoed)], seen: every },
        // fetch cannot carry a GET with a body: the update goes over node:http (MSW and nock see it, not a fetch double).
        fetch: {
          outcomes: ['ok', 'john.doe@example.com', 'ok', 'ok', 'ok'],
          seen: ['POST /rest/tech', 'POST /rest/tech/bulk', 'PUT /rest/tech/john.doe%40example.com', 'POST /ocean/restapi/auth/authenticate2', 'POST /ocean/restapi/technicien/grant-client-access'],
        },
        mockAgent: { outcomes: ['ok', 'john.doe@example.com', 'ok', 'ok', 'ok'], update: JSON.stringify({ id: 42, nomTechnicien: 'from MockAgent' }), pending: 0 },
        undiciTransport: { mswSaw: 0, serverSaw: 1, unhandled: 0, answer: 'FROM THE REAL SERVER' },
        sandbox: { statuses: [200, 409], stored: 1, updated: msw3 ? expect.stringMatching(/^Invalid request: (a )?body\b/) : 30 },
      });
    }, 30_000);

    test('its bin is installed and runs', async () => {
      const result = await run(join(project, 'node_modules/.bin/techapi-sandbox'), ['--help'], { cwd: project });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: techapi-sandbox');
    });
  });
});
