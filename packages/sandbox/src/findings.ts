// Findings: what the sandbox saw a client do that a well-behaved client would not, each naming the requests
// involved. A watch follows one API's requests as they are answered; the rule common to every API (wait
// out a 429's Retry-After) is here, the others beside their API (take-control/ and technicien/).
import type { RequestHeaders } from './behaviour.js';

export type FindingKind = 'early-retry' | 'repeated-create' | 'expired-token-reused' | 'key-without-prefix';

export interface Finding {
  kind: FindingKind;
  api: string;
  /** When the request that made it arrived, on the sandbox clock (ISO 8601). */
  time: string;
  message: string;
  /** The journal's `seq` of each request involved, the earlier first. */
  requests: number[];
}

export type FindingDraft = Omit<Finding, 'api' | 'time'>;

/** One request as a watch sees it, once answered (or dropped). */
export interface Exchange {
  seq: number;
  /** Sandbox clock, ms. */
  arrivedAt: number;
  answeredAt: number;
  operationId: string | undefined;
  /** As received (the fault header removed), not redacted: a watch compares credentials. */
  headers: RequestHeaders;
  /** The parsed JSON body; undefined when none or not JSON. */
  body: unknown;
  /** The credential the request carried (`ApiBehaviour.clientOf`). */
  client: string;
  /** The answer that reached the client; undefined when its connection was dropped. */
  answer: { status: number; headers: Record<string, string>; body: unknown } | undefined;
}

export interface ClientWatch {
  observe(exchange: Exchange): FindingDraft[];
}

/**
 * A request that arrives this soon after the answer that should have changed it (a 429, an expired token)
 * may have been sent before that answer arrived (concurrent calls): it is not counted. The same margin
 * allows for timers that fire a little early when a client waits out `Retry-After`.
 */
export const IN_FLIGHT_MS = 20;

/** At most this many credentials are followed; past it the oldest are forgotten. */
const MAX_FOLLOWED = 10_000;

const NONE: FindingDraft[] = [];

/** A request with the same credential as a 429 before that 429's `Retry-After` ran out. */
export function watchRetryAfter(): ClientWatch {
  /** By credential: the 429s whose Retry-After still runs. */
  const waits = new Map<string, Array<{ seq: number; answeredAt: number; until: number }>>();
  return {
    observe({ seq, arrivedAt, answeredAt, operationId, client, answer }) {
      let drafts = NONE;
      const pending = waits.get(client)?.filter((wait) => wait.until > arrivedAt);
      if (pending) {
        const early = pending.find((wait) => arrivedAt > wait.answeredAt + IN_FLIGHT_MS && arrivedAt < wait.until - IN_FLIGHT_MS);
        if (early) {
          drafts = [
            {
              kind: 'early-retry',
              requests: [early.seq, seq],
              message:
                `request #${seq} (${operationId ?? 'no operation'}) came ${early.until - arrivedAt} ms before the Retry-After of the 429 ` +
                `answered to the same credential (#${early.seq}) ran out: wait Retry-After before sending again`,
            },
          ];
        }
        if (pending.length > 0) waits.set(client, pending);
        else waits.delete(client);
      }
      if (answer?.status === 429) {
        const seconds = Number(answer.headers['retry-after']);
        if (Number.isFinite(seconds) && seconds > 0) {
          if (waits.size >= MAX_FOLLOWED) waits.delete(waits.keys().next().value as string);
          waits.set(client, [...(waits.get(client) ?? []), { seq, answeredAt, until: answeredAt + seconds * 1000 }]);
        }
      }
      return drafts;
    },
  };
}

/** The watches of one API, as one. */
export function combineWatches(watches: ClientWatch[]): ClientWatch {
  return {
    observe(exchange) {
      let drafts = NONE;
      for (const watch of watches) {
        const found = watch.observe(exchange);
        if (found.length > 0) drafts = [...drafts, ...found];
      }
      return drafts;
    },
  };
}
