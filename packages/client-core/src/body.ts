/** Marks a response whose body a transport already read within the limit: it can be read at once. */
export const BOUNDED: unique symbol = Symbol('techapi.bounded-body');

/** The largest response body a client reads unless told otherwise: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * A response whose body cannot be used: larger than allowed, cut short, or unreadable. It carries the
 * response (status and headers) so that the caller can still tell a 503 from a 200.
 */
export class ResponseBodyError extends Error {
  override name = 'ResponseBodyError';
  readonly response: Response;

  constructor(message: string, response: Response) {
    super(message);
    this.response = response;
  }
}

export function tooLarge(response: Response, size: number | undefined, maxBytes: number): ResponseBodyError {
  const what = size === undefined ? 'more than' : `${size} bytes, more than`;
  return new ResponseBodyError(`The response body is ${what} the ${maxBytes} bytes allowed (maxBodyBytes)`, response);
}

/** The declared length of a body, when the response states a usable one. */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads a response body as text without ever holding more than `maxBytes` of it: a declared length over
 * the limit is refused before reading, and an undeclared one is counted chunk by chunk and the stream
 * cancelled (which closes the connection) as soon as it goes past. A body that ends early or cannot be
 * read becomes a {@link ResponseBodyError}.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const length = declaredLength(response.headers);
  if (length !== undefined && length > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(response, length, maxBytes);
  }
  try {
    // A declared length within the limit bounds the read already (the HTTP parser stops there): let the
    // runtime's own reader do it, it is the fastest.
    if (length !== undefined || BOUNDED in response || response.body === null) return await response.text();
    return await readCounting(response.body, response, maxBytes);
  } catch (cause) {
    if (cause instanceof ResponseBodyError) throw cause;
    const detail = cause instanceof Error ? describeCause(cause) : String(cause);
    throw new ResponseBodyError(`The response body could not be read in full: ${detail}`, response);
  }
}

async function readCounting(body: ReadableStream<Uint8Array>, response: Response, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(response, undefined, maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * Makes a response safe to hand to openapi-fetch, which reads error bodies in full: a body declared
 * larger than allowed is refused, and an error body (rare, so its cost does not matter) is read here,
 * bounded, so that a huge or broken one becomes a {@link ResponseBodyError} that still knows the status.
 * A 2xx body with no declared length is left for the client's own bounded read.
 */
export async function boundResponse(response: Response, maxBytes: number): Promise<Response> {
  if (response.body === null) return response;
  const length = declaredLength(response.headers);
  if (length !== undefined && length > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(response, length, maxBytes);
  }
  if (response.ok || BOUNDED in response) return response;
  const text = await readBoundedText(response, maxBytes);
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** An error's message with its cause's, since fetch hides the useful part (ECONNREFUSED, "other side closed") in `cause`. */
export function describeCause(error: Error): string {
  const inner = error.cause instanceof Error ? error.cause.message : '';
  return inner && !error.message.includes(inner) ? `${error.message} (${inner})` : error.message;
}
