/**
 * An abort signal with only what undici's `request()` reads (`aborted`, `reason`, `addEventListener`,
 * `removeEventListener`). A Node AbortSignal is an EventTarget made transferable, which on Node 20 costs a
 * tenth of a fast undici call; this costs next to nothing. Node-only: fetch and browsers need the real one.
 */
class LightSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;
  readonly #listeners: ((event: Event) => void)[] = [];

  addEventListener(_type: 'abort', listener: (event: Event) => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: (event: Event) => void): void {
    const index = this.#listeners.indexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const event = { type: 'abort', target: this } as unknown as Event;
    this.onabort?.(event);
    for (const listener of this.#listeners.splice(0)) listener.call(this, event);
  }
}

class LightAbortController {
  readonly signal = new LightSignal();

  abort(reason?: unknown): void {
    this.signal.fire(reason);
  }
}

export function lightAbortController(): AbortController {
  return new LightAbortController() as unknown as AbortController;
}
