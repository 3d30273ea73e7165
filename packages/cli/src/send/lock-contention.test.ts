// The journal's lock under contention, in-process: a release that removes only this run's own lock (never one taken
// since by another run, nor one this process took again), its exit hook, and a dead run's lock that keeps
// changing under the taker — a real child process feeding a FIFO behind the lock, so that each read of the
// lock sees another run: it is put back, never removed, and the taker gives up.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { deadPid, scratch, thrown } from '../testing/scratch.js';
import { lockJournal } from './lock.js';

const { dir } = scratch('cli-lock-contention-');
let journals = 0;
const journal = () => join(dir, `${++journals}.journal`);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/**
 * Makes `<journal>.lock` a link to a FIFO that a child process writes `holders` into, one per read, with a
 * pause after each so that every read sees one holder whole.
 */
function changingLock(path: string, holders: object[]): void {
  const fifo = join(dir, `fifo-${journals}`);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  symlinkSync(fifo, `${path}.lock`);
  const script = `
    const { writeFileSync } = require('node:fs');
    const [fifo, holders] = [process.argv[1], JSON.parse(process.argv[2])];
    for (const holder of holders) {
      try { writeFileSync(fifo, JSON.stringify(holder) + '\\n'); } catch {}
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }`;
  children.push(spawn(process.execPath, ['-e', script, fifo, JSON.stringify(holders)], { stdio: 'ignore' }));
}

describe('lockJournal under contention', () => {
  it('a release removes only its own lock: not one another run holds since this one was deleted', () => {
    const path = journal();
    const lock = lockJournal(path);
    // An admin deleted the lock, and another run took it.
    const other = `${JSON.stringify({ pid: process.ppid, host: hostname(), started: '2026-01-02T03:04:05.000Z' })}\n`;
    writeFileSync(lock.path, other);
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(other);
    rmSync(lock.path);
  });

  it('a second release of a lock does not remove the lock the same process took again since', () => {
    const path = journal();
    const first = lockJournal(path);
    first.release();
    const second = lockJournal(path);
    first.release();
    expect(JSON.parse(readFileSync(second.path, 'utf8')).pid).toBe(process.pid);
    expect(thrown(() => lockJournal(path)).message).toMatch(/^Another run of this command is using the journal /);
    second.release();
    expect(existsSync(second.path)).toBe(false);
  });

  it('releases the lock when the process exits (an exit hook), and unhooks it on release', () => {
    const before = process.listenerCount('exit');
    const lock = lockJournal(journal());
    expect(process.listenerCount('exit')).toBe(before + 1);
    lock.release();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('a dead run\'s lock that another run keeps replacing (each read sees a new start) is put back each time, then given up on', () => {
    const path = journal();
    const pid = deadPid();
    changingLock(
      path,
      Array.from({ length: 20 }, (_, index) => ({ pid, host: hostname(), started: `2026-01-02T03:04:${String(index).padStart(2, '0')}.000Z` })),
    );
    const error = thrown(() => lockJournal(path));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`Cannot take the journal's lock ${path}.lock: other runs keep taking it. Delete it if no run is going on.`);
    expect(lstatSync(`${path}.lock`).isSymbolicLink()).toBe(true); // the other run's lock, put back
    expect(readdirSync(dir).filter((name) => name.startsWith(`${journals}.journal.lock.`))).toEqual([]);
  });

  it("a dead run's lock that another dead run's replaces (same start, another pid) is put back, never taken over", () => {
    const path = journal();
    const pids = Array.from({ length: 12 }, deadPid);
    expect(new Set(pids).size).toBe(12);
    changingLock(
      path,
      pids.map((pid) => ({ pid, host: hostname(), started: '2026-01-02T03:04:05.000Z' })),
    );
    const error = thrown(() => lockJournal(path));
    expect(error.message).toBe(`Cannot take the journal's lock ${path}.lock: other runs keep taking it. Delete it if no run is going on.`);
    expect(lstatSync(`${path}.lock`).isSymbolicLink()).toBe(true);
  });

  it("a dead run's lock that cannot be moved aside is retried, then given up on, and left where it was", () => {
    const path = journal();
    const dead = `${JSON.stringify({ pid: deadPid(), host: hostname(), started: '2026-01-02T03:04:05.000Z' })}\n`;
    writeFileSync(`${path}.lock`, dead);
    // Where the taker moves a dead lock aside: a folder holding a file, that a file cannot replace.
    mkdirSync(`${path}.lock.stale.${process.pid}`);
    writeFileSync(join(`${path}.lock.stale.${process.pid}`, 'x'), '');
    const error = thrown(() => lockJournal(path));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`Cannot take the journal's lock ${path}.lock: other runs keep taking it. Delete it if no run is going on.`);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(dead);
  });

  it('a lock that is there but cannot be read (here a folder) is refused, not retried forever, and left alone', () => {
    const path = journal();
    mkdirSync(`${path}.lock`);
    const error = thrown(() => lockJournal(path));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`The journal's lock ${path}.lock cannot be read (another user's run, or not a file): if no run of this command is going on, delete it.`);
    expect(lstatSync(`${path}.lock`).isDirectory()).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith(`${journals}.journal.lock.`))).toEqual([]);
  });
});
