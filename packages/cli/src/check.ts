// The checking stage, between reading (rows.ts) and sending (send/): each row's fields against what the
// command sends (the spec's TechnicianCreate for an import, an email for a status change), and its email
// against the earlier rows'. Invalid and repeated rows are never sent.
import type { Row } from './rows.js';
import { describeProblem, type FieldProblem } from './schema.js';
import { fingerprint } from './send/fingerprint.js';
import type { Checked } from './send/items.js';

export type RowCheck = (fields: Record<string, unknown>) => FieldProblem[];

export async function* checkRows(rows: AsyncIterable<Row>, check: RowCheck): AsyncGenerator<Checked> {
  /** The line of each email's first row, by the email in lower case (the server ignores case). */
  const firstLine = new Map<string, number>();
  for await (const row of rows) {
    // A row unreadable as a whole (not JSON, the wrong width) has nothing to check; an unknown key still lets the rest be checked.
    const problems = row.problems.some((problem) => !problem.column) ? row.problems : [...row.problems, ...check(row.fields)];
    if (problems.length > 0) {
      yield { row, failure: 'invalid', reason: problems.map(describeProblem).join('; ') };
      continue;
    }
    const email = String(row.fields.email);
    const key = email.toLowerCase();
    const first = firstLine.get(key);
    if (first !== undefined) {
      yield { row, failure: 'repeated', reason: `email: ${email} is repeated: line ${first} has it already, and only that row is sent` };
      continue;
    }
    firstLine.set(key, row.line);
    yield { row, item: { row, email, key, fields: row.fields, fingerprint: fingerprint(row.fields) } };
  }
}
