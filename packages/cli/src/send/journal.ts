// The journal of a run that sends rows (an import, a bulk enable or disable): one JSON line per event.
// - Its header (what the run does, where, which journal version) is written to a file of its own, flushed
//   to disk and renamed into place: a journal either does not exist or starts with its header.
// - Each send is recorded, and flushed to disk (fdatasync), before the request it announces; outcomes are
//   appended after, and reach the disk with the next send's flush (or the run's end). So after a crash or a
//   power cut, a row the server may have received is always known to have been sent.
// - Reading it back is strict: a journal with no header, another version, another action or server, or
//   damage before its last line is refused, never read as "nothing done" or "all done". Only its last line
//   may be cut short (a kill -9 in the middle of a write that never returned); it is dropped.
// Rerunning the same command reads it back:
// - an email recorded `done` is not sent again;
// - an email recorded `sent` without an outcome was possibly done: if the server now answers that it
//   already exists, it counts as created. A send the server refused whole (a batch rejected for one row)
//   did nothing: `rejected` closes it again.
// Each send carries the rows' fingerprints (fingerprint.ts), so a rerun notices a row edited since.
// It holds emails, fingerprints and outcomes only: never a key, a token or a password.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

export const JOURNAL_VERSION = 2;

/** What a run does to each row: the journal of one is never read by another. */
export type JournalAction = 'create' | 'enable' | 'disable';

interface Header {
  journal: 'techapi';
  version: number;
  action: JournalAction;
  baseUrl: string;
  started: string;
}

type Entry = { sent: string[]; fingerprints?: string[] } | { done: string[] } | { rejected: string[] } | { failed: string[] } | { existing: string[] };

export interface Journal {
  readonly path: string;
  /** Whether an earlier run left this journal. */
  readonly resumed: boolean;
  /** How many emails earlier runs did (for "resuming: 10,800 of 20,000 rows done by an earlier run"). */
  readonly doneBefore: number;
  /** Whether an earlier run did this email (lower case). Those this run does are not added: it never meets them again. */
  isDone(email: string): boolean;
  /** The fingerprint an earlier run last sent for this email, if any. */
  fingerprintBefore(email: string): string | undefined;
  /** Whether the email was sent with no outcome known yet: possibly done. */
  possiblySent(email: string): boolean;
  /** Records a send, on disk, before its request goes. */
  sent(emails: string[], fingerprints?: string[]): void;
  /** The server refused the whole send, doing nothing: each email is back as it was before it. */
  rejected(emails: string[]): void;
  done(emails: string[]): void;
  failed(emails: string[]): void;
  /** Already there before this run sent it (a 409 for a row it had not possibly sent). */
  existing(emails: string[]): void;
  /** Flushes what is appended and closes the file. */
  close(): void;
}

const what = (action: JournalAction) => (action === 'create' ? 'an import' : `a bulk ${action}`);

function refuse(path: string, problem: string, todo: string): never {
  throw new UsageError(`The journal ${path} ${problem}: ${todo}`);
}

/** Writes a new journal's header, flushed, under its final name only once it is whole. */
function createJournal(path: string, header: Header): void {
  const fresh = `${path}.new`;
  try {
    writeFileSync(fresh, `${JSON.stringify(header)}\n`);
    const fd = openSync(fresh, 'r+');
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(fresh, path);
    const folder = openSync(dirname(path), 'r');
    fsyncSync(folder); // the rename itself reaches the disk
    closeSync(folder);
  } catch (error) {
    rmSync(fresh, { force: true });
    throw new UsageError(`Cannot write the journal ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass --journal <a file in a folder you can write>.`);
  }
}

/**
 * Opens the journal at `path` for a run that does `action` against `baseUrl`: reads what earlier runs did,
 * or creates it. A journal that cannot be trusted is a UsageError that names it and says what to do.
 */
export function openJournal(path: string, baseUrl: string, action: JournalAction = 'create'): Journal {
  const done = new Set<string>();
  const fingerprints = new Map<string, string>();
  /** Sends of each email with no outcome yet: an email sent, refused whole, then sent again is at 1. */
  const open = new Map<string, number>();
  const opened = (email: string) => open.set(email, (open.get(email) ?? 0) + 1);
  const closed = (email: string) => {
    const count = (open.get(email) ?? 0) - 1;
    if (count > 0) open.set(email, count);
    else open.delete(email);
  };
  const resumed = existsSync(path);
  const startOver = `delete it to start over (rows already on the server then count as existing)`;
  if (resumed) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the journal ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    /** Where the last whole line ends: a cut last line is dropped from the file before anything is appended. */
    let keep = text.length;
    lines.forEach((line, index) => {
      const last = index === lines.length - 1;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error('not an object');
      } catch {
        if (last && index > 0) {
          keep = text.length - line.length - (text.endsWith('\n') ? 1 : 0);
          return;
        }
        refuse(path, index === 0 ? 'has no header (its first line is not one): it was not written whole by techapi, and nothing in it can be trusted' : `is damaged at line ${index + 1}`, startOver);
      }
      if (index === 0) {
        const header = entry as Partial<Header> & { journal?: unknown };
        if (header.journal !== 'techapi' && header.journal !== 'techapi import') refuse(path, 'has no header: it is not a journal of techapi, and nothing in it can be trusted', startOver);
        if (header.version !== JOURNAL_VERSION) {
          refuse(path, `was written by another version of techapi (journal version ${String(header.version)}; this one reads version ${JOURNAL_VERSION})`, `finish that run with the techapi that started it, or ${startOver}`);
        }
        if (header.action !== action) refuse(path, `is the journal of ${what(header.action as JournalAction)}, not of ${what(action)}`, 'pass --journal <another file>');
        if (header.baseUrl !== baseUrl) refuse(path, `belongs to a run against ${String(header.baseUrl)}, not ${baseUrl}`, `pass --journal <another file>, or ${startOver}`);
        return;
      }
      const list = (name: string) => {
        const value = entry[name];
        return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
      };
      const sent = list('sent');
      const prints = list('fingerprints');
      if (sent) {
        sent.forEach((email, at) => {
          opened(email);
          if (prints?.[at] !== undefined) fingerprints.set(email, prints[at]);
        });
      } else if (list('rejected')) for (const email of list('rejected') ?? []) closed(email);
      else if (list('done')) for (const email of list('done') ?? []) (done.add(email), open.delete(email));
      else if (list('failed') ?? list('existing')) for (const email of list('failed') ?? list('existing') ?? []) open.delete(email);
      else refuse(path, `is damaged at line ${index + 1} (an entry techapi does not write)`, startOver);
    });
    if (lines.length === 0) refuse(path, 'is empty, with no header: nothing in it can be trusted', startOver);
    if (keep < text.length) {
      // Cut at a byte count: the text read as UTF-8 holds only ASCII up to there (emails, JSON).
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, keep)));
      closeSync(fd);
    }
  } else {
    createJournal(path, { journal: 'techapi', version: JOURNAL_VERSION, action, baseUrl, started: new Date().toISOString() });
  }
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new UsageError(`Cannot write the journal ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const append = (entry: Entry) => writeSync(fd, `${JSON.stringify(entry)}\n`);
  const outcome = (name: 'done' | 'failed' | 'existing', emails: string[]) => {
    if (emails.length === 0) return;
    append({ [name]: emails } as Entry);
    for (const email of emails) open.delete(email);
  };
  return {
    path,
    resumed,
    doneBefore: done.size,
    isDone: (email) => done.has(email),
    fingerprintBefore: (email) => fingerprints.get(email),
    possiblySent: (email) => open.has(email),
    sent(emails, prints) {
      append(prints ? { sent: emails, fingerprints: prints } : { sent: emails });
      fdatasyncSync(fd); // on disk before the request goes (and with it every outcome appended before)
      for (const email of emails) opened(email);
    },
    rejected(emails) {
      append({ rejected: emails });
      for (const email of emails) closed(email);
    },
    done: (emails) => outcome('done', emails),
    failed: (emails) => outcome('failed', emails),
    existing: (emails) => outcome('existing', emails),
    close() {
      fdatasyncSync(fd);
      closeSync(fd);
    },
  };
}
