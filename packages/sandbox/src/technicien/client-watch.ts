// What a Gestion client should not do, noted as a finding: send again a token the sandbox told it had
// expired, without logging in between (the token is dead: the client must log in for a new one).
import { IN_FLIGHT_MS, type ClientWatch, type FindingDraft } from '../findings.js';
import { EXPIRED_TOKEN } from './answers.js';

export function watchTechnicienClients(): ClientWatch {
  /** By token: the request told it had expired, and when. */
  const toldExpired = new Map<string, { seq: number; answeredAt: number }>();
  return {
    observe({ seq, arrivedAt, answeredAt, operationId, headers, answer }) {
      let drafts: FindingDraft[] = [];
      const token = headers['x-auth-token'];
      const told = typeof token === 'string' ? toldExpired.get(token) : undefined;
      if (told && arrivedAt > told.answeredAt + IN_FLIGHT_MS) {
        drafts = [
          {
            kind: 'expired-token-reused',
            requests: [told.seq, seq],
            message: `request #${seq} (${operationId ?? 'no operation'}) sent the token request #${told.seq} was told had expired, with no login between: log in again (POST /restapi/auth/authenticate2) for a new token`,
          },
        ];
      }
      if (operationId === 'authenticate' && answer?.status === 200) toldExpired.clear();
      else if (typeof token === 'string' && answer?.status === 401 && (answer.body as { message?: unknown } | undefined)?.message === EXPIRED_TOKEN) {
        toldExpired.set(token, { seq, answeredAt });
      }
      return drafts;
    },
  };
}
