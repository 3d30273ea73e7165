// What the checking stage hands the sending stage: each row read, either failed before sending (invalid,
// or its email on an earlier row) or an item to send.
import type { Row } from '../rows.js';

export interface Item {
  row: Row;
  /** As written in the file. */
  email: string;
  /** The email in lower case: the journal's key (the server compares emails ignoring case). */
  key: string;
  /** What is sent: the row's fields. */
  fields: Record<string, unknown>;
  /** fingerprint.ts: to notice, on a rerun, a row edited since it was sent. */
  fingerprint: string;
}

export type Checked = { row: Row; item: Item } | { row: Row; item?: undefined; failure: 'invalid' | 'repeated'; reason: string };
