import { BOUNDED } from './body.js';

const decoder = new TextDecoder();

/**
 * A Response whose body is already in memory (read, bounded, by a transport). A WHATWG Response wraps any
 * body in a web stream, which on undici's fast path costs about as much as the HTTP exchange itself; this
 * one serves `text()`, `json()`, `arrayBuffer()`, `bytes()` and `blob()` from the bytes, once, as a Response
 * would. Its `body` is null: read it through those methods.
 */
export class BufferedResponse extends Response {
  readonly [BOUNDED] = true;
  readonly #bytes: Uint8Array<ArrayBuffer>;
  #used = false;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
  }

  /**
   * Null: the bytes are served by the reading methods. (openapi-fetch reads `body` on every call the
   * runtime makes, and a stream built for it would cost more than the whole exchange.)
   */
  override get body(): null {
    return null;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override async text(): Promise<string> {
    return decoder.decode(this.#take());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(decoder.decode(this.#take()));
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): BufferedResponse {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) });
  }

  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }
}
