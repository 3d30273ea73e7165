// A row's fingerprint, kept in the journal for each row sent: a short hash of each field's value, so that
// a rerun can tell which fields of an already-created row were edited since, without the journal holding
// the values themselves. `name=1f2e3d4c;profile=9a8b7c6d`: the fields in name order, the email (the
// row's key) left out.
import { hash } from 'node:crypto';

// The one-shot hash (Node 20.12+): a Hash object per field (createHash) held a native context each until the
// next GC, 800,000 of them for a 200,000-row import, and took 3x the time.
const fieldHash = (value: unknown) => hash('sha256', JSON.stringify(value)).slice(0, 8);

export function fingerprint(fields: Record<string, unknown>, key = 'email'): string {
  return Object.keys(fields)
    .filter((field) => field !== key && fields[field] !== undefined)
    .sort()
    .map((field) => `${field}=${fieldHash(fields[field])}`)
    .join(';');
}

/** The fields whose value differs between two fingerprints (added and removed ones included), in name order. */
export function changedFields(before: string, now: string): string[] {
  const parse = (print: string) => new Map(print ? print.split(';').map((part) => part.split('=') as [string, string]) : []);
  const [a, b] = [parse(before), parse(now)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((field) => a.get(field) !== b.get(field)).sort();
}
