// What a Take Control client should not do, noted as findings: send its key without the `INTEGRATION-KEY`
// prefix (the vendor's form is `Authorization: INTEGRATION-KEY <key>`), or send a create again for an email
// the sandbox already settled for it (a 200 created it, a 409 said it exists: a repeat can only conflict).
import type { ClientWatch, Exchange, FindingDraft } from '../findings.js';
import { hasKeyPrefix, KEY_FORM, KEY_PREFIX } from './key.js';
import type { TakeControlStore } from './store.js';

/** @param store where each technician holds the request that settled it for the client */
export function watchTakeControlClients(store: Pick<TakeControlStore, 'settledBy' | 'settle'>): ClientWatch {
  const settle = (email: string, seq: number, status: 200 | 409) => store.settle(email, status === 200 ? seq : -seq);

  return {
    observe(exchange) {
      const keyForm = keyFormFinding(exchange);
      const { seq, operationId, body, answer } = exchange;
      if (operationId !== 'createTechnician' && operationId !== 'createTechnicians') return keyForm ? [keyForm] : NONE;
      const emails = emailsOf(body);
      // Every request of a load goes through here: no allocation unless there is a repeat.
      let repeats: Array<{ email: string; earlier: { seq: number; status: number } }> | undefined;
      for (const email of emails) {
        const earlier = store.settledBy(email);
        if (earlier !== undefined) (repeats ??= []).push({ email, earlier: { seq: Math.abs(earlier), status: earlier > 0 ? 200 : 409 } });
      }
      let repeated: FindingDraft | undefined;
      if (repeats) {
        const earlier = [...new Set(repeats.map((repeat) => repeat.earlier.seq))].sort((a, b) => a - b);
        repeated = {
          kind: 'repeated-create',
          requests: [...earlier, seq],
          message:
            `request #${seq} (${operationId}) created again ${repeats.map(({ email, earlier: e }) => `${email} (settled by #${e.seq}, ${e.status})`).join(', ')}: ` +
            'a 200 created it and a 409 says it exists, so a repeat can only conflict',
        };
      }
      if (answer?.status === 200 && operationId === 'createTechnician') settle(emails[0] as string, seq, 200);
      else if (answer?.status === 409 && operationId === 'createTechnician') settle(emails[0] as string, seq, 409);
      else if (answer?.status === 200 && operationId === 'createTechnicians') {
        // Per email: a created one, and one that failed as existing, are settled; a whole-batch 409 settles none.
        const entries = (answer.body as { details?: { technicians?: Record<string, { result?: string; status?: number }> } } | undefined)?.details?.technicians ?? {};
        for (const [email, entry] of Object.entries(entries)) {
          if (entry.result === 'SUCCESS') settle(email, seq, 200);
          else if (entry.status === 409) settle(email, seq, 409);
        }
      }
      return keyForm && repeated ? [keyForm, repeated] : keyForm ? [keyForm] : repeated ? [repeated] : NONE;
    },
  };
}

const NONE: FindingDraft[] = [];

/** A key sent without the prefix: as the bare value, in another scheme (`Bearer`), or in an `INTEGRATION-KEY` header. */
function keyFormFinding({ seq, headers }: Exchange): FindingDraft | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith(KEY_PREFIX)) return undefined; // the usual case, at once
  const sentAs =
    typeof authorization === 'string'
      ? hasKeyPrefix(authorization)
        ? undefined
        : authorization.includes(' ')
          ? `Authorization: ${authorization.slice(0, authorization.indexOf(' '))} <key>`
          : 'Authorization: <key>'
      : headers['integration-key'] !== undefined
        ? 'INTEGRATION-KEY: <key> (a header of that name)'
        : undefined;
  if (!sentAs) return undefined;
  return { kind: 'key-without-prefix', requests: [seq], message: `request #${seq} sent its key as ${sentAs}: send it as ${KEY_FORM}` };
}

/** The emails a create's body names, if it is well-formed enough to have any. */
function emailsOf(body: unknown): string[] {
  const emails: string[] = [];
  for (const item of Array.isArray(body) ? body : [body]) {
    const email = typeof item === 'object' && item !== null ? (item as { email?: unknown }).email : undefined;
    if (typeof email === 'string' && email !== '') emails.push(email);
  }
  return emails;
}
