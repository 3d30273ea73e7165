// @ts-check
// vitest globalSetup of the whole run (root config): one Prism mock per API, for every project, on free
// ports of 127.0.0.1, serving the bundled specs; stopped when the run ends. Tests read their API's URL
// with mockUrl(api) from tools/testing/mock-url.mjs.
import { listApis } from '../apis.mjs';
import { startMock } from '../mock-server.mjs';

/** @param {import('vitest/node').TestProject} project */
export default async function setup(project) {
  const started = await Promise.allSettled(listApis().map((api) => startMock({ specFile: api.bundledYaml })));
  const mocks = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await Promise.all(mocks.map((mock) => mock.stop()));
    throw failure.reason;
  }
  const urls = Object.fromEntries(listApis().map((api, index) => [api.name, mocks[index]?.url ?? '']));
  // `provide` is typed by vitest/node's own copy of ProvidedContext, which provided.d.ts cannot augment.
  /** @type {(key: string, value: unknown) => void} */ (project.provide.bind(project))('mockUrls', urls);
  return () => Promise.all(mocks.map((mock) => mock.stop()));
}
