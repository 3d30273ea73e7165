// What the sending stage's in-process tests share (send/send.test.ts, send/send-outcomes.test.ts): rows as
// the reading stage gives them, an action scripted to answer as a server would, the real journal in a
// folder of the test's, and a report and progress that record all they are given.
import { join } from 'node:path';
import type { ApiError } from '@techapi/take-control';
import type { Counts, Progress } from '../progress.js';
import type { FailureReport } from '../report.js';
import type { Action, RequestOutcome, SendContext } from '../send/actions.js';
import { fingerprint } from '../send/fingerprint.js';
import type { Checked } from '../send/items.js';
import { openJournal } from '../send/journal.js';
import type { SendOptions } from '../send/send.js';

/** The base URL the journals are opened for. */
export const JOURNAL_URL = 'http://127.0.0.1:4020';

export const row = (line: number, email: string, name = `Name ${line}`) => ({ line, fields: { email, name }, problems: [], original: [email, name] });
export const item = (line: number, email: string, name?: string): Checked => {
  const read = row(line, email, name);
  return { row: read, item: { row: read, email, key: email.toLowerCase(), fields: read.fields, fingerprint: fingerprint(read.fields) } };
};
export const invalid = (line: number, email: string): Checked => ({ row: row(line, email), failure: 'invalid', reason: 'email: is not a valid email' });

export async function* source(rows: Checked[]): AsyncGenerator<Checked> {
  for (const checked of rows) yield checked;
}

export const httpError = (status: number, message: string): ApiError => ({ kind: 'http', operation: 'createTechnicians', status, message });
export const networkError: ApiError = { kind: 'network', operation: 'createTechnicians', status: 0, message: 'socket hang up' };

/** An action whose answers come from `answer`, recording each request's emails. */
export function scripted(answer: (emails: string[], context: SendContext, call: number) => RequestOutcome | Promise<RequestOutcome>, shape: Partial<Action> = {}) {
  const requests: string[][] = [];
  const action: Action = {
    name: 'create',
    past: 'created',
    batchSize: 2,
    inFlight: 1,
    ...shape,
    async send(items, context) {
      const emails = items.map((entry) => entry.email);
      requests.push(emails);
      return answer(emails, context, requests.length);
    },
  };
  return { action, requests };
}

export const allDone = (emails: string[]): RequestOutcome => ({ kind: 'answered', items: emails.map(() => ({ kind: 'done' as const })) });

/** The journals, report and options of one test file, in its folder `dir`. */
export function sendingHarness(dir: string) {
  let journals = 0;
  const newJournal = () => openJournal(join(dir, `${++journals}.journal`), JOURNAL_URL);

  function recorders() {
    const reported: Array<[unknown, string]> = [];
    const report: FailureReport = {
      path: join(dir, 'report.csv'),
      get count() {
        return reported.length;
      },
      firstReasons: [],
      ready: async () => {},
      add: async (original, reason) => void reported.push([original, reason]),
      close: async () => reported.length > 0,
      discard: async () => {},
    };
    const shown: string[] = [];
    const updates: Counts[] = [];
    const progress: Progress = {
      start: (total, counts: Counts) => void shown.push(`start ${total} ${counts.done}`),
      update: (counts) => void updates.push({ ...counts }),
      waiting: (ms, why, tag) => void shown.push(`wait ${ms} ${why} [${tag}]`),
      stop: () => void shown.push('stop'),
    };
    const notices: string[] = [];
    return { report, reported, progress, shown, updates, notices };
  }

  function options(rest: Partial<SendOptions>, recorded = recorders()): SendOptions {
    return {
      report: recorded.report,
      progress: recorded.progress,
      expected: 0,
      existing: 'count',
      giveUpMs: 30_000,
      stop: new AbortController().signal,
      abort: new AbortController().signal,
      notice: (text) => recorded.notices.push(text),
      ...rest,
    };
  }

  return { newJournal, recorders, options };
}
