// Runs the built bin as a user does: `node dist/cli.js ...` in a child process, with a clean environment.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (npm run build)`);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a run gets: this one without any of the CLI's own variables, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TAKE_CONTROL_|OCEAN_)/.test(name)));
  return { ...base, NO_COLOR: '1', ...env };
}

/**
 * What every run must do, whatever it was asked: print something, and end with a documented code. A run
 * that ends with 13 (a top-level await left unsettled) or prints nothing fails the test that ran it.
 */
export function checkRun(run: Run, args: string[]): Run {
  if (run.code === 13) throw new Error(`techapi ${args.join(' ')} exited 13 (unsettled top-level await):\n${run.stderr}`);
  if (!run.stdout.trim() && !run.stderr.trim()) throw new Error(`techapi ${args.join(' ')} exited ${run.code} and printed nothing`);
  if (![0, 1, 2, 130].includes(run.code)) throw new Error(`techapi ${args.join(' ')} exited ${run.code}, not a documented code:\n${run.stderr}`);
  return run;
}

export function techapi(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; uid?: number; gid?: number; node?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      options.node ?? process.execPath,
      [bin, ...args],
      { env: cleanEnv(options.env), cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, uid: options.uid, gid: options.gid },
      (error, stdout, stderr) => {
        try {
          resolve(checkRun({ code: error ? Number(typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }, args));
        } catch (failure) {
          reject(failure);
        }
      },
    );
  });
}

/** Collects a started run's output, and checks it as techapi() does when it exits. */
export function collect(child: ChildProcess, args: string[]): { output: () => Run; exited: Promise<Run> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<Run>((resolve, reject) =>
    child.once('close', (code, signal) => {
      if (signal) return resolve({ code: -1, stdout, stderr }); // killed by the test (kill -9)
      try {
        resolve(checkRun({ code: code ?? 1, stdout, stderr }, args));
      } catch (failure) {
        reject(failure);
      }
    }),
  );
  return { output: () => ({ code: -1, stdout, stderr }), exited };
}

/** Starts the bin without waiting for it (to kill it mid-way). */
export function startTechapi(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { env: cleanEnv(options.env), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export { tempDir } from './scratch.js';
