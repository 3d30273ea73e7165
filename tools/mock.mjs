// @ts-check
// `npm run mock`: serves every API's mock with Prism on 127.0.0.1, one port each, until Ctrl-C.
//   npm run mock                                   take-control on 4010, technicien on 4011, ...
//   npm run mock -- --port 5000                    first API on 5000, the next on 5001, ...
//   npm run mock -- --api technicien --port 4011   one API only
import { parseArgs } from 'node:util';
import { getApi, listApis } from './apis.mjs';
import { startMock } from './mock-server.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: process.env.MOCK_PORT ?? '4010' }, api: { type: 'string' } },
});
const firstPort = Number(values.port);
if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}
const apis = values.api ? [getApi(values.api)] : listApis();

/** @type {import('./mock-server.mjs').MockServer[]} */
const servers = [];
const stopAll = async () => {
  await Promise.all(servers.map((server) => server.stop()));
};
let stopping = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the mocks…');
    stopAll().then(() => process.exit(0));
  });
}

try {
  for (const [index, api] of apis.entries()) {
    const server = await startMock({ specFile: api.bundledYaml, port: firstPort + index });
    servers.push(server);
    console.log(`${api.name.padEnd(14)} mock on ${server.url}  (spec: dist/specs/${api.name}.yaml)`);
  }
  console.log('Press Ctrl-C to stop.');
  setInterval(() => {}, 1 << 30); // stay alive until a signal
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
}
