// The journal of an import: one JSON line per event, appended (and so on disk, whatever kills the
// process after the write returns) before and after each batch. Rerunning the same import reads it back:
// - an email recorded `created` is not sent again and counts as created;
// - an email recorded `sent` without an outcome was possibly created: if the server now answers that it
//   already exists, it counts as created. A send the server refused whole (a batch rejected for one row)
//   created nothing: `rejected` closes it again.
// It holds emails and outcomes only: never a key, a token or a password.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

export const JOURNAL_VERSION = 1;

type Entry =
  | { journal: 'techapi import'; version: number; baseUrl: string; started: string }
  | { sent: string[] }
  | { created: string[] }
  | { rejected: string[] }
  | { failed: string[] };

export interface Journal {
  readonly path: string;
  /**
   * Emails (lower case) an earlier run created. Those this run creates are not added: the run never meets
   * them again (a repeated email is caught before), and a 200,000-row import keeps its memory.
   */
  readonly created: ReadonlySet<string>;
  /** Whether the email (lower case) was sent with no outcome known yet: possibly created. */
  possiblySent(email: string): boolean;
  /** Whether an earlier run left this journal. */
  readonly resumed: boolean;
  sent(emails: string[]): void;
  /** The server refused the whole send, creating nothing: each email is back as it was before it. */
  rejected(emails: string[]): void;
  createdNow(emails: string[]): void;
  failedNow(emails: string[]): void;
}

export function openJournal(path: string, baseUrl: string): Journal {
  const created = new Set<string>();
  /** Sends of each email with no outcome yet: an email sent, refused whole, then sent again is at 1. */
  const open = new Map<string, number>();
  const opened = (email: string) => open.set(email, (open.get(email) ?? 0) + 1);
  const closed = (email: string) => {
    const count = (open.get(email) ?? 0) - 1;
    if (count > 0) open.set(email, count);
    else open.delete(email);
  };
  const resumed = existsSync(path);
  if (resumed) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (!text.trim()) return;
      let entry: Entry;
      try {
        entry = JSON.parse(text);
      } catch {
        // kill -9 can cut the last line short: that write never returned, so nothing depended on it.
        if (index >= lines.length - 2) return;
        throw new UsageError(`The journal ${path} is damaged at line ${index + 1}: delete it to start the import over.`);
      }
      if ('journal' in entry && entry.baseUrl !== baseUrl) {
        throw new UsageError(
          `The journal ${path} belongs to an import into ${entry.baseUrl}, not ${baseUrl}: pass --journal <another file>, or delete it to start over.`,
        );
      }
      if ('sent' in entry) for (const email of entry.sent) opened(email);
      if ('rejected' in entry) for (const email of entry.rejected) closed(email);
      if ('created' in entry) for (const email of entry.created) (created.add(email), open.delete(email));
      if ('failed' in entry) for (const email of entry.failed) open.delete(email);
    });
  }
  const append = (entry: Entry) => appendFileSync(path, `${JSON.stringify(entry)}\n`);
  if (!resumed) append({ journal: 'techapi import', version: JOURNAL_VERSION, baseUrl, started: new Date().toISOString() });
  return {
    path,
    created,
    resumed,
    possiblySent: (email) => open.has(email),
    sent(emails) {
      append({ sent: emails });
      for (const email of emails) opened(email);
    },
    rejected(emails) {
      append({ rejected: emails });
      for (const email of emails) closed(email);
    },
    createdNow(emails) {
      if (emails.length === 0) return;
      append({ created: emails });
      for (const email of emails) open.delete(email);
    },
    failedNow(emails) {
      if (emails.length === 0) return;
      append({ failed: emails });
      for (const email of emails) open.delete(email);
    },
  };
}
