// The request journal: every request on a vendor path, in arrival order, as the sandbox received it and
// how it answered. Bounded: the last `limit` requests. A request is held as it arrived and redacted when it
// is listed, the only way out of the journal: under load most requests are never listed, and copying their
// headers would cost every one of them.
import type { ApiBehaviour, RequestHeaders } from './behaviour.js';

/** One request, as `requests()` and `GET /__sandbox/requests` list it. */
export interface JournalEntry {
  /** The request's number, from 1, across the sandbox's APIs; findings name requests by it. Reset restarts it. */
  seq: number;
  /** When it arrived, on the sandbox clock (ISO 8601). */
  time: string;
  api: string;
  /** The spec operation it was for; null for a path or method the spec does not have. */
  operationId: string | null;
  method: string;
  path: string;
  /** The query string as sent, without `?`; '' when none. */
  query: string;
  /**
   * By lower-case name, credentials redacted: `Authorization: INTEGRATION-KEY ***`, `X-AUTH-TOKEN` down to
   * its last 4 characters, a cookie or another key header `***`; `X-Sandbox-Fault` is in `fault` instead.
   */
  headers: Record<string, string>;
  /** The body as received, as text ('' when none); a login's password is `***`. A body that is not UTF-8: '' and `bodyBase64`. */
  body: string;
  bodyBase64?: string;
  /**
   * The answer's status: for `drop-after` the status of the answer that was lost; null while it is pending
   * (latency) and for `drop-before`.
   */
  status: number | null;
  /** The fault this request was given (`X-Sandbox-Fault`, `failNext`, or drawn by `errorRate`/`dropRate`), else null. */
  fault: string | null;
}

/** What `requests()` filters on; every given field must match. */
export interface RequestFilter {
  api?: string;
  operationId?: string;
  status?: number;
}

/** A request as held, before it is redacted for a listing; `status` is set when it is answered. */
export interface HeldEntry {
  seq: number;
  /** Sandbox clock, ms. */
  at: number;
  api: string;
  operationId: string | undefined;
  method: string;
  /** The path and query as sent. */
  rawUrl: string;
  headers: RequestHeaders;
  /** The body as text; undefined when its bytes are not UTF-8 (then `bytes` holds them). */
  text: string | undefined;
  bytes?: Uint8Array;
  fault: unknown;
  status: number | null;
  /** What the journal must not show, from the API's behaviour. */
  redaction: Redaction;
}

export type Redaction = Pick<ApiBehaviour, 'secrets' | 'redactBody'>;

export const DEFAULT_JOURNAL_LIMIT = 10_000;

/** A fixed-size list that keeps the last `capacity` items, in order, at no cost per item beyond the item. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`journalLimit must be an integer >= 0, got ${capacity}`);
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  toArray(): T[] {
    return this.start === 0 ? [...this.items] : [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /** Keeps only the items `keep` accepts, in order. */
  retain(keep: (item: T) => boolean): void {
    this.items = this.toArray().filter(keep);
    this.start = 0;
  }
}

/** The entries the filter accepts, in order, redacted. */
export function listEntries(entries: Ring<HeldEntry>, filter: RequestFilter = {}): JournalEntry[] {
  const { api, operationId, status } = filter;
  const listed: JournalEntry[] = [];
  for (const entry of entries.toArray()) {
    if ((api !== undefined && entry.api !== api) || (operationId !== undefined && entry.operationId !== operationId) || (status !== undefined && entry.status !== status)) continue;
    listed.push(redacted(entry));
  }
  return listed;
}

/** An entry as the journal shows it: credentials redacted, secrets blanked, the time formatted. */
function redacted({ seq, at, api, operationId, method, rawUrl, headers, text, bytes, fault, status, redaction }: HeldEntry): JournalEntry {
  const secrets = redaction.secrets ?? [];
  const queryAt = rawUrl.indexOf('?');
  const entry: JournalEntry = {
    seq,
    time: new Date(at).toISOString(),
    api,
    operationId: operationId ?? null,
    method,
    path: blank(queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt), secrets),
    query: queryAt < 0 ? '' : blank(rawUrl.slice(queryAt + 1), secrets),
    headers: redactHeaders(headers, secrets),
    body: '',
    status,
    fault: fault === undefined ? null : String(fault),
  };
  if (text === undefined) entry.bodyBase64 = base64(bytes ?? new Uint8Array(0));
  else if (text !== '') entry.body = blank(redaction.redactBody ? redaction.redactBody(operationId, text) : text, secrets);
  return entry;
}

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set(['cookie', 'proxy-authorization', 'integration-key', 'x-api-key', 'api-key']);
const HIDDEN = '***';
/** Read and stripped by the engine before a request is checked or journaled. */
export const FAULT_HEADER = 'x-sandbox-fault';

/** The headers as the journal keeps them: credentials redacted, `secrets` blanked wherever they appear. */
export function redactHeaders(headers: RequestHeaders, secrets: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name in headers) {
    const raw = headers[name];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name === 'authorization') {
      // The scheme says what form the client used (`INTEGRATION-KEY`, `Bearer`), which is worth seeing.
      const space = value.indexOf(' ');
      kept[name] = space > 0 ? `${value.slice(0, space)} ${HIDDEN}` : HIDDEN;
    } else if (name === 'x-auth-token') {
      kept[name] = value.length > 8 ? `${HIDDEN}${value.slice(-4)}` : HIDDEN;
    } else if (SECRET_HEADERS.has(name)) {
      kept[name] = HIDDEN;
    } else {
      kept[name] = blank(value, secrets);
    }
  }
  return kept;
}

/** `text` with each secret replaced by `***`. */
export function blank(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) if (secret && text.includes(secret)) text = text.split(secret).join(HIDDEN);
  return text;
}

/** Bytes as base64, with what a browser has too (no Buffer). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
