// One run per journal at a time: a lock file beside the journal (`<journal>.lock`) holding the pid, the host
// and the start time of the run that holds it. A second run exits 2 naming them; a lock left by a process
// that is no longer running (kill -9, a crash, a power cut) is taken over, and the run says so.
import { hostname } from 'node:os';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

interface Holder {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  readonly path: string;
  /** The dead run whose lock this one took over, if any. */
  readonly tookOver?: Holder;
  release(): void;
}

const describeHolder = (holder: Holder) => `process ${holder.pid} on ${holder.host}, started ${holder.started}`;

/** The lock's holder; 'gone' when the file is not there (any more), 'invalid' when it is not a lock of ours, 'unreadable' when it cannot be read. */
function readHolder(path: string): Holder | 'gone' | 'invalid' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // Only a lock that is not there is gone: one there but unreadable (another user's, a folder) would be retried forever.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return Number.isInteger(holder?.pid) ? holder : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Whether the holder may still run: on another host it cannot be known, so it is taken as running. */
function mayRun(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `journal`, or throws a UsageError naming the run that holds it. */
export function lockJournal(journal: string): Lock {
  const path = `${journal}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  // Written whole to a file of our own, then linked into place: the link fails if a lock is there, and
  // a lock is never seen half written.
  const mine = `${path}.${process.pid}`;
  try {
    writeFileSync(mine, `${JSON.stringify(me)}\n`);
  } catch (error) {
    throw new UsageError(`Cannot write the journal's lock ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass --journal <a file in a folder you can write>.`);
  }
  let tookOver: Holder | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`Cannot take the journal's lock ${path}: ${(error as NodeJS.ErrnoException).code}.`);
      }
      const holder = readHolder(path);
      if (holder === 'gone') continue; // released meanwhile: try again
      if (holder === 'invalid') {
        // Never written by a run of techapi (ours are written whole, then linked into place): not ours to remove.
        throw new UsageError(`The journal's lock ${path} is not a lock techapi wrote: if no run of this command is going on, delete it.`);
      }
      if (holder === 'unreadable') {
        throw new UsageError(`The journal's lock ${path} cannot be read (another user's run, or not a file): if no run of this command is going on, delete it.`);
      }
      if (mayRun(holder)) {
        throw new UsageError(
          `Another run of this command is using the journal ${journal}: ${describeHolder(holder)}. Wait for it to end, or stop it; ` +
            `if it is not running, delete ${path}.`,
        );
      }
      if (attempt > 2) throw new UsageError(`Cannot take the journal's lock ${path}: other runs keep taking it. Delete it if no run is going on.`);
      // A dead run's lock: moved aside first, so that a lock another run has just taken is never removed.
      const aside = `${path}.stale.${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue; // gone meanwhile: try again
      }
      const moved = readHolder(aside);
      if (typeof moved === 'object' && moved.pid === holder.pid && moved.started === holder.started) {
        rmSync(aside, { force: true });
        tookOver = holder;
        continue;
      }
      try {
        linkSync(aside, path); // another run's fresh lock: put back
      } catch {
        // a third run took the place: its lock stands
      }
      rmSync(aside, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const holder = readHolder(path);
    if (typeof holder === 'object' && holder.pid === process.pid) rmSync(path, { force: true });
  };
  process.once('exit', release);
  return {
    path,
    tookOver,
    release() {
      process.off('exit', release);
      release();
    },
  };
}

export const describeLockHolder = describeHolder;
