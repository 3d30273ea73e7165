// The journal's lock in-process: taken, refused while its holder runs, taken over from a dead run, released.
// (The CLI's accident tests show the same with two real runs of the bin.)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { deadPid, scratch } from '../testing/scratch.js';
import { describeLockHolder, lockJournal } from './lock.js';

const { dir } = scratch('cli-lock-');
let journals = 0;
const journal = () => join(dir, `${++journals}.journal`);

describe('lockJournal', () => {
  it('takes the lock (pid, host, start) beside the journal, refuses a second taker naming the first, and releases it', () => {
    const path = journal();
    const lock = lockJournal(path);
    expect(lock.path).toBe(`${path}.lock`);
    expect(lock.tookOver).toBeUndefined();
    const holder = JSON.parse(readFileSync(lock.path, 'utf8'));
    expect(holder).toEqual({ pid: process.pid, host: hostname(), started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    let refusal: unknown;
    try {
      lockJournal(path);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(UsageError);
    expect((refusal as Error).message).toBe(
      `Another run of this command is using the journal ${path}: ${describeLockHolder(holder)}. Wait for it to end, or stop it; if it is not running, delete ${path}.lock.`,
    );
    expect(readdirSync(dir).filter((name) => name.startsWith(`${journals}.journal.lock.`))).toEqual([]); // no file of the refused taker left
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release(); // twice: nothing more
    const again = lockJournal(path);
    expect(again.tookOver).toBeUndefined();
    again.release();
  });

  it("takes over a dead run's lock, and says whose", () => {
    const path = journal();
    const dead = { pid: deadPid(), host: hostname(), started: '2026-01-02T03:04:05.000Z' };
    writeFileSync(`${path}.lock`, `${JSON.stringify(dead)}\n`);
    const lock = lockJournal(path);
    expect(lock.tookOver).toEqual(dead);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    expect(describeLockHolder(dead)).toBe(`process ${dead.pid} on ${hostname()}, started 2026-01-02T03:04:05.000Z`);
    lock.release();
  });

  it('a lock from another host is taken as running: refused', () => {
    const path = journal();
    writeFileSync(`${path}.lock`, `${JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, started: '2026-01-02T03:04:05.000Z' })}\n`);
    expect(() => lockJournal(path)).toThrow(/^Another run of this command is using the journal .*: process \d+ on not-/);
  });

  it('a lock file techapi did not write (not JSON, no pid) is left alone: a usage error saying to delete it', () => {
    const path = journal();
    for (const text of ['garbage', '{"host":"x"}', 'null']) {
      writeFileSync(`${path}.lock`, text);
      expect(() => lockJournal(path)).toThrow(`The journal's lock ${path}.lock is not a lock techapi wrote: if no run of this command is going on, delete it.`);
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(text);
    }
  });

  it('a folder that cannot be written: a usage error naming the lock and --journal', () => {
    const folder = join(dir, 'missing', 'deeper');
    expect(() => lockJournal(join(folder, 'x.journal'))).toThrow(
      `Cannot write the journal's lock ${join(folder, 'x.journal')}.lock: ENOENT. Pass --journal <a file in a folder you can write>.`,
    );
    mkdirSync(folder, { recursive: true });
    lockJournal(join(folder, 'x.journal')).release();
  });
});
