// vitest.config.ts: export default defineConfig({ test: { globalSetup: ['./sandbox-setup.ts'] } })
// sandbox-setup.ts: one sandbox for the whole run, on free ports; tests read its URLs with inject().
import { startSandbox } from '@techapi/sandbox';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxUrls: { 'take-control'?: string; technicien?: string };
  }
}

export default async function setup(project: TestProject) {
  const sandbox = await startSandbox({ port: 0 });
  project.provide('sandboxUrls', sandbox.urls);
  return () => sandbox.close();
}
