/** Shares (0..1) of requests answered with a 5xx, and of requests whose connection is dropped, drawn from a seeded sequence. */
export interface FaultOptions {
  /** Share of requests answered 503 without being handled. Default 0. */
  errorRate?: number;
  /** Share of requests handled, then left without an answer: the connection is closed (the work is done, the answer lost). Default 0. */
  dropRate?: number;
  /** Seed of the sequence the faults are drawn from: the same seed and the same requests give the same faults. Default 1. */
  seed?: number;
}

export type Fault = 'error' | 'drop' | undefined;

/** Draws, per request, whether it fails and how. Without rates it never draws, so a run without faults costs nothing. */
export function createFaults({ errorRate = 0, dropRate = 0, seed = 1 }: FaultOptions = {}): () => Fault {
  for (const [name, rate] of [['errorRate', errorRate], ['dropRate', dropRate]] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`faults.${name} must be between 0 and 1, got ${rate}`);
  }
  if (errorRate + dropRate > 1) throw new RangeError(`faults.errorRate + faults.dropRate must not exceed 1, got ${errorRate + dropRate}`);
  if (errorRate === 0 && dropRate === 0) return () => undefined;
  const random = mulberry32(seed);
  return () => {
    const draw = random();
    if (draw < errorRate) return 'error';
    if (draw < errorRate + dropRate) return 'drop';
    return undefined;
  };
}

/** A small, well-mixed seeded generator of numbers in [0, 1) (Mulberry32): replayable, unlike Math.random. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fault for one request, asked for by the `X-Sandbox-Fault` header or `failNext`: `429` (with
 * `Retry-After: 1`) or `503`, answered without handling the request; `drop-before`, the connection closed
 * before handling; `drop-after`, handled then closed without an answer; `latency=<ms>`, that much later.
 */
export type RequestFault = 429 | 503 | 'drop-before' | 'drop-after' | `latency=${number}`;

export const FAULT_FORMS = '429, 503, drop-before, drop-after or latency=<ms>';
const MAX_FAULT_LATENCY_MS = 60_000;

/** A fault as the header or `failNext` gives it, checked; throws a TypeError naming the accepted forms. */
export function parseFault(value: unknown): RequestFault {
  const text = String(value).trim().toLowerCase();
  if (text === '429' || text === '503') return Number(text) as 429 | 503;
  if (text === 'drop-before' || text === 'drop-after') return text;
  const latency = /^latency=(\d+)$/.exec(text);
  if (latency && Number(latency[1]) <= MAX_FAULT_LATENCY_MS) return `latency=${Number(latency[1])}`;
  throw new TypeError(`unknown fault ${JSON.stringify(value)}: give ${FAULT_FORMS} (at most ${MAX_FAULT_LATENCY_MS} ms)`);
}

/** The milliseconds a fault delays its answer by (0 for any other fault). */
export const faultLatencyMs = (fault: RequestFault | undefined): number => (typeof fault === 'string' && fault.startsWith('latency=') ? Number(fault.slice(8)) : 0);

/** A drawn fault in the words of a requested one: a 503 is answered unhandled, a drop comes after handling. */
export const asRequestFault = (fault: Fault): RequestFault | undefined => (fault === 'error' ? 503 : fault === 'drop' ? 'drop-after' : undefined);

/** Faults asked for by `failNext`, by operationId, first in first out. */
export function createFaultQueue() {
  const queues = new Map<string, RequestFault[]>();
  return {
    add(operationId: string, fault: RequestFault): void {
      queues.set(operationId, [...(queues.get(operationId) ?? []), fault]);
    },
    /** The next fault queued for this operation, taken off the queue; undefined when none. */
    take(operationId: string | undefined): RequestFault | undefined {
      const queue = operationId === undefined ? undefined : queues.get(operationId);
      const fault = queue?.shift();
      if (queue?.length === 0) queues.delete(operationId as string);
      return fault;
    },
    clear: () => queues.clear(),
  };
}
