// @ts-check
// vitest globalSetup for an API package: one Prism mock of that API for the whole run, on a free port
// of 127.0.0.1, serving the bundled spec; stopped when the run ends. The project's name is the API's.
import { getApi } from '../apis.mjs';
import { startMock } from '../mock-server.mjs';

/** @param {import('vitest/node').TestProject} project */
export default async function setup(project) {
  const api = getApi(project.name);
  const mock = await startMock({ specFile: api.bundledYaml });
  // `provide` is typed by vitest/node's own copy of ProvidedContext, which provided.d.ts cannot augment.
  /** @type {(key: string, value: string) => void} */ (project.provide.bind(project))('mockUrl', mock.url);
  return () => mock.stop();
}
