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

  constructor(
    message: string,
    readonly response: Response,
  ) {
    super(message);
  }
}

/** The error for a body over the limit; `size` when the response declared it. */
export function tooLarge(response: Response, maxBytes: number, size?: number): ResponseBodyError {
  const what = size === undefined ? '' : `${size} bytes, `;
  return new ResponseBodyError(`The response body is ${what}more than the ${maxBytes} bytes allowed (maxBodyBytes)`, response);
}

/** The declared length of a body, when the response states a usable one. */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads a response body as text without ever holding more than `maxBytes` of it: a declared length over
 * the limit is refused before reading, and an undeclared one is counted chunk by chunk and the stream
 * cancelled (which closes the connection) as soon as it goes past. A body that ends early or cannot be
 * read becomes a {@link ResponseBodyError}.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const length = declaredLength(response.headers);
  const body = response.body;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    if (length !== undefined && length > maxBytes) throw tooLarge(response, maxBytes, length);
    // A declared length within the limit bounds the read already (the HTTP parser stops there): let the
    // runtime's own reader do it, it is the fastest.
    if (length !== undefined || BOUNDED in response || !body) return await response.text();
    reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let size = 0; ; ) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(response, maxBytes);
      text += decoder.decode(value, { stream: true });
    }
  } catch (cause) {
    // Stop the transfer: the connection closes rather than carry the rest of an unwanted body.
    await (reader ?? body)?.cancel().catch(() => undefined);
    if (cause instanceof ResponseBodyError) throw cause;
    throw new ResponseBodyError(`The response body could not be read in full: ${describeCause(cause)}`, response);
  }
}

/**
 * Makes a response safe to hand to openapi-fetch, which reads error bodies in full: a 2xx declared within
 * the limit (the common case) goes through untouched; one declared over it is refused; an error body (rare,
 * so its cost does not matter) is read here, bounded, so that a huge or broken one becomes a
 * {@link ResponseBodyError} that still knows the status. A 2xx with no declared length is left for the
 * client's own bounded read.
 */
export async function boundResponse(response: Response, maxBytes: number): Promise<Response> {
  if (BOUNDED in response || (response.ok && (declaredLength(response.headers) ?? 0) <= maxBytes)) return response;
  // Not a 2xx, or one over the limit (which this read refuses before reading).
  return new Response(await readBoundedText(response, maxBytes), response);
}

/** An error's message with its cause's, since fetch hides the useful part (ECONNREFUSED, "other side closed") in `cause`. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? error.cause.message : '';
  return inner && !error.message.includes(inner) ? `${error.message} (${inner})` : error.message;
}
