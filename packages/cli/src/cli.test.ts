// The bin as a user runs it, for what needs no server: help, usage errors (exit 2, saying what to do),
// --dry-run and its report, --json, and a secret that never shows. Imports against the sandbox are in
// import.sandbox.test.ts.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type ReceivedRequest } from '../../../tools/testing/local-server.mjs';
import takeControlSpec from '../../../dist/specs/take-control.json' with { type: 'json' };
import technicienSpec from '../../../dist/specs/technicien.json' with { type: 'json' };
import { repoRoot } from '../../../tools/apis.mjs';
import { bin, cleanEnv, techapi, tempDir } from './testing/run.js';

const { dir, remove } = tempDir('cli-usage-');
afterAll(remove);
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('help', () => {
  it('lists the commands, the exit codes and the environment', async () => {
    const run = await techapi(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/take-control +Take Control technicians/);
    expect(run.stdout).toMatch(/Exit codes:\n +0 +done/);
    expect(run.stdout).toContain('TAKE_CONTROL_KEY');
  });

  it.each([
    ['take-control', 'create'],
    ['take-control', 'import'],
    ['take-control', 'enable'],
    ['take-control', 'disable'],
    ['technicien', 'grant'],
    ['technicien', 'update'],
  ])('%s %s --help shows examples', async (group, command) => {
    const run = await techapi([group, command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n(.*\\n)*.*\\$ .*techapi ${group} ${command}`));
  });

  it("shows the spec's servers as the default base URLs", async () => {
    const unwrap = (text: string) => text.replace(/\s+/g, ' ');
    expect(unwrap((await techapi(['take-control', 'import', '--help'])).stdout)).toContain(
      `as in ${takeControlSpec.servers[0]?.url.replace('{region}', '<region>')} (default: ${takeControlSpec.servers[0]?.variables.region.default})`,
    );
    expect(unwrap((await techapi(['technicien', 'grant', '--help'])).stdout)).toContain(`else ${technicienSpec.servers[0]?.url})`);
  });
});

describe('usage errors exit 2 with what to do', () => {
  const valid = () => file('valid.csv', 'email,name\na@example.com,A\n');
  it.each<[string, () => string[], Record<string, string>, RegExp]>([
    ['no command', () => [], {}, /Usage: techapi/],
    ['a missing file argument', () => ['take-control', 'import'], {}, /missing required argument 'file'\n\(add --help for usage and examples\)/],
    ['no key', () => ['take-control', 'import', valid()], {}, /No Take Control integration key: set TAKE_CONTROL_KEY, or pass --key-file <file>/],
    ['a key given as a flag', () => ['take-control', 'import', valid(), '--key', 'k'], {}, /--key takes no value on the command line \(it would show in ps and in your shell's history\): set TAKE_CONTROL_KEY, or pass --key-file <file>\./],
    ['a password given as a flag', () => ['technicien', 'grant', '--emails', 'a@example.com', '--code-exploitant', 'E', '--until', '2026-12-31', '--password', 'p'], {}, /--password takes no value on the command line .*: set OCEAN_PASSWORD, or pass --password-file <file>\./],
    ['a key file that is not there', () => ['take-control', 'import', valid(), '--key-file', join(dir, 'none')], {}, /--key-file .*none: cannot read it \(ENOENT\)/],
    ['a file that is not there', () => ['take-control', 'import', join(dir, 'none.csv')], { TAKE_CONTROL_KEY: 'k' }, /Cannot read .*none\.csv: no such file/],
    ['no email column', () => ['take-control', 'import', file('u.csv', 'mail pro,nom\n'), '--dry-run'], {}, /u\.csv: no column gives the email \(its columns: "mail pro", "nom"\)\. Name it with --column email=/],
    ['an unknown extension', () => ['take-control', 'import', file('t.pdf', ''), '--dry-run'], {}, /name it \.csv, \.tsv, \.txt, \.json, \.ndjson, \.jsonl or \.xlsx, or pass --format/],
    ['a batch size of 0', () => ['take-control', 'import', valid(), '--batch-size', '0'], {}, /--batch-size must be a whole number of at least 1/],
    ['a bad base URL', () => ['take-control', 'import', valid(), '--base-url', 'localhost:4020'], { TAKE_CONTROL_KEY: 'k' }, /--base-url is not an http\(s\) URL: localhost:4020/],
    ['a create with a bad email', () => ['take-control', 'create', '--email', 'nope', '--name', 'N'], { TAKE_CONTROL_KEY: 'k' }, /--email: is not a valid email/],
    ['a grant with no credentials', () => ['technicien', 'grant', '--emails', 'a@example.com', '--code-exploitant', 'E', '--until', '2026-12-31'], {}, /No Océan credentials: set OCEAN_LOGIN and OCEAN_PASSWORD/],
    ['a grant with a login and no password', () => ['technicien', 'grant', '--emails', 'a@example.com', '--code-exploitant', 'E', '--until', '2026-12-31', '--login', 'me'], {}, /No password for me: set OCEAN_PASSWORD, or pass --password-file <file>/],
    ['a grant with a bad date', () => ['technicien', 'grant', '--emails', 'a@example.com', '--code-exploitant', 'E', '--until', '31/12/2026'], { OCEAN_TOKEN: 't' }, /--until is a date written yyyy-MM-dd, not "31\/12\/2026"/],
    ['a grant with no emails', () => ['technicien', 'grant', '--code-exploitant', 'E', '--until', '2026-12-31'], { OCEAN_TOKEN: 't' }, /Give the technicians with --emails a@x,b@x or with --emails-file <file>/],
    ['an update whose file is not JSON', () => ['technicien', 'update', file('t.json', '{oops')], { OCEAN_TOKEN: 't' }, /t\.json is not valid JSON/],
    ['an update whose file breaks the Technicien schema', () => ['technicien', 'update', file('w.json', '{"id":"seven","utilisateur":{"emailUti":3}}')], { OCEAN_TOKEN: 't' }, /w\.json is not a Technicien as the spec defines it; nothing was sent:\n  \/id: must be integer\n  \/utilisateur\/emailUti: must be string/],
  ])('%s', async (_name, args, env, message) => {
    const run = await techapi(args(), { env });
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
  });
});

describe('--dry-run', () => {
  const rows = ['email,name,profile', 'a@example.com,A,admin', 'bad,B,', ',C,', 'A@example.com,"A, again",', 'b@example.com,"Doe, ""B""",support'];

  it('checks every row, finds repeated emails, sends nothing, and writes the report of what to fix', async () => {
    const input = file('dry.csv', `${rows.join('\n')}\n`);
    const run = await techapi(['take-control', 'import', input, '--dry-run']);
    expect(run.stdout).toContain(`Checked ${input}: 5 rows, 2 valid, 2 invalid, 1 repeated, in `);
    expect(run.stdout).toContain('Nothing was sent (--dry-run).');
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, 'dry.failed.csv'), 'utf8')).toBe(
      [
        '\uFEFFemail,name,profile,reason',
        'bad,B,,line 3: email: is not a valid email',
        ',C,,line 4: email: is required',
        'A@example.com,"A, again",,"line 5: email: A@example.com is repeated: line 2 has it already, and only that row is sent"',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when every row is valid, and --json prints one object', async () => {
    const input = file('ok.ndjson', '{"email":"a@example.com","name":"A"}\n{"email":"b@example.com","name":"B","timezone":"Europe/Lisbon"}\n');
    const run = await techapi(['take-control', 'import', input, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ dryRun: true, total: 2, created: 0, failed: 0, valid: 2, report: null });
  });
});

describe('secrets', () => {
  it('a key the server echoes back shows nowhere: not in the output, the journal or the report', async () => {
    const key = 'tc-secret-5d1e0b77';
    const received: ReceivedRequest[] = [];
    const server = await startLocalServer((request, response) => {
      received.push(request);
      sendJson(response, 403, { status: 403, message: `Invalid integration key ${key}` });
    });
    try {
      const input = file('secret.csv', 'email,name\na@example.com,A\n');
      const run = await techapi(['take-control', 'import', input, '--base-url', server.url, '--key-file', file('key', `${key}\n`)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('The server refused the integration key (403: Invalid integration key [redacted]): check TAKE_CONTROL_KEY or --key-file.');
      expect(received[0]?.headers.authorization).toBe(`INTEGRATION-KEY ${key}`);
      for (const text of [run.stdout, run.stderr, readFileSync(`${input}.journal`, 'utf8')]) expect(text).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});

describe('an input that is not a readable file: exit 2 naming it, nothing printed before', () => {
  it.each(['x.csv', 'x.json'])('a directory named %s', async (name) => {
    const path = join(dir, 'folders', name);
    mkdirSync(path, { recursive: true });
    const run = await techapi(['take-control', 'import', path, '--dry-run']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `techapi: Cannot read ${path}: it is a directory, not a file. Give the path of a file (save the data to one first).\n` });
  });

  it('a FIFO, with no writer: refused at once, never waited on', async () => {
    const path = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [path]);
    const run = await techapi(['take-control', 'import', path, '--dry-run'], { timeoutMs: 20_000 });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `techapi: Cannot read ${path}: it is a FIFO (a named pipe), not a file. Give the path of a file (save the data to one first).\n` });
  });

  it('a file this user may not read', async () => {
    const folder = join(dir, 'private');
    mkdirSync(folder, { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o777);
    const path = file('private/secret.csv', 'email,name\na@example.com,A\n');
    chmodSync(path, 0o000);
    // As root every file is readable: run as nobody then (the build and node_modules are world-readable),
    // with a copy of this node that nobody may run (.ci/run's Node 24 lives under /root, closed to others).
    const asRoot = process.getuid?.() === 0;
    const node = join(dir, 'node');
    if (asRoot) copyFileSync(process.execPath, node);
    if (asRoot) chmodSync(node, 0o755);
    const asNobody = asRoot ? { uid: 65534, gid: 65534, node } : {};
    const run = await techapi(['take-control', 'import', path, '--dry-run', '--report', join(folder, 'r.csv')], asNobody);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `techapi: Cannot read ${path}: permission denied (check its owner and mode).\n` });
  });

  it('a usage error found on the header comes alone: no "check: 0 rows" line before it', async () => {
    const run = await techapi(['take-control', 'import', file('bad-header.csv', 'mail pro,nom\na@example.com,A\n'), '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^techapi: [^\n]*bad-header\.csv: no column gives the email \(its columns: "mail pro", "nom"\)[^\n]*\n$/);
  });

  it('with --json, a usage error is also one JSON object on stdout', async () => {
    const run = await techapi(['take-control', 'import', join(dir, 'nowhere.csv'), '--dry-run', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: { kind: 'usage', message: `Cannot read ${join(dir, 'nowhere.csv')}: no such file.` } });
  });
});

describe('the bins a fresh clone links', () => {
  const exec = promisify(execFile);
  it.each([
    ['cli', 'techapi', 'Usage: techapi [options] [command]'],
    ['sandbox', 'techapi-sandbox', 'Usage: techapi-sandbox [options]'],
  ])('%s: a committed, executable loader of dist/, so npm ci links it before the build; npx %s --help works', { timeout: 60_000 }, async (folder, name, usage) => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', folder, 'package.json'), 'utf8'));
    const target = `bin/${name}.js`;
    expect(manifest.bin).toEqual({ [name]: `./${target}` });
    expect(manifest.files).toContain('bin');
    expect(execFileSync('git', ['ls-files', '--stage', target], { cwd: join(repoRoot, 'packages', folder), encoding: 'utf8' })).toMatch(/^100755 /);
    expect(statSync(join(repoRoot, 'node_modules/.bin', name)).isFile()).toBe(true);
    const { stdout } = await exec('npx', ['--no-install', name, '--help'], { cwd: repoRoot, env: cleanEnv() });
    expect(stdout).toContain(usage);
  });
});

describe('exit codes', () => {
  it('the help documents each one, and the counts', async () => {
    const { stdout } = await techapi(['--help']);
    for (const code of ['0', '1', '2', '130']) expect(stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    expect(stdout).toContain('already on the server (existing)');
    const help = (await techapi(['take-control', 'import', '--help'])).stdout;
    expect(help).toContain('--existing <what>');
    expect(help).toContain('changed (created by an earlier run, edited in the file since');
  });
});

describe('a run whose work ends unsettled', () => {
  it('says so and exits 1, never 13 with nothing printed', { timeout: 30_000 }, async () => {
    // A file stream that never opens (as a directory's or a FIFO's could): the event loop empties with the command unsettled.
    const hang = `data:text/javascript,${encodeURIComponent(
      "import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module'; import { PassThrough } from 'node:stream'; fs.createReadStream = () => new PassThrough(); syncBuiltinESMExports();",
    )}`;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', hang, bin, 'take-control', 'import', file('hang.csv', 'email,name\n'), '--dry-run'], { env: cleanEnv() }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'techapi: stopped before the command finished, with nothing left to wait for (exit code 0): this is a bug; please report it with the command you ran.\n',
    });
  });
});
