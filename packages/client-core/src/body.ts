/** The largest response body a client reads unless told otherwise: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * A response whose body cannot be used: larger than allowed, or unreadable. It carries the response
 * (status and headers) so that the caller can still tell a 503 from a 200.
 */
export class ResponseBodyError extends Error {
  constructor(
    message: string,
    readonly response: Response,
  ) {
    super(message);
  }
}

/** The error for a body over the limit; `size` when the response declared it. */
export const tooLarge = (response: Response, maxBytes: number, size?: number | string): ResponseBodyError =>
  new ResponseBodyError(`The response body is ${size ? `${size} bytes, ` : ''}more than the ${maxBytes} bytes allowed (maxBodyBytes)`, response);

/**
 * Makes a response safe to read in full, never holding more than `maxBytes` of its body. A declared length
 * bounds the read already (the HTTP parser stops there): over the limit it is refused unread, within it the
 * response goes through untouched, which is the fast path. An undeclared one is read here, counted chunk
 * by chunk, and the transfer cancelled (closing the connection) as soon as it goes past. A response with
 * no body stream goes through: there is nothing to read, or its transport read it already, bounded.
 */
export async function bound(response: Response, maxBytes: number): Promise<Response> {
  const body = response.body;
  if (!body) return response;
  const length = response.headers.get('content-length');
  if (Number(length) > maxBytes) {
    await body.cancel().catch(() => undefined);
    throw tooLarge(response, maxBytes, length ?? undefined);
  }
  if (length !== null) return response;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (let size = 0, chunk; !(chunk = await reader.read()).done; ) {
      if ((size += chunk.value.byteLength) > maxBytes) throw tooLarge(response, maxBytes);
      chunks.push(chunk.value);
    }
  } catch (cause) {
    await reader.cancel().catch(() => undefined);
    throw cause;
  }
  return new Response(new Blob(chunks as BlobPart[]), response);
}

/** An error's message with its cause's, since fetch hides the useful part (ECONNREFUSED, "other side closed") in `cause`. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? error.cause.message : '';
  return inner && !error.message.includes(inner) ? `${error.message} (${inner})` : error.message;
}
