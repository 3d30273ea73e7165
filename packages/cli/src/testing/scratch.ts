// What the CLI's tests share that needs no built bin (so in-process tests, and StrykerJS's runs of them, can
// use it): a temporary folder and files in it, the pid of a process that has ended, the error a call throws.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temporary directory removed after the calling file's tests, and a writer of files in it (returns the path). */
export function scratch(prefix: string): { dir: string; file(name: string, content: string | Buffer): string } {
  const { dir, remove } = tempDir(prefix);
  afterAll(remove);
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** The pid of a process that has ended: no process runs with it now. */
export function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  return pid as number;
}

/** The error `call` throws, for an exact look at it; if it throws nothing, the test fails. */
export function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw, and nothing was thrown');
}
