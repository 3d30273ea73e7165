// Reading a response body within a limit, and the error text a failed call shows.
import { describe, expect, it } from 'vitest';
import { bound, describeCause, ResponseBodyError } from './body.js';

const streamed = (text: string) =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const part of text.match(/.{1,4}/gs) ?? []) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    }),
  );

describe('bound', () => {
  it('lets a response without a body through as it is', async () => {
    const empty = new Response(null, { status: 204 });
    expect(await bound(empty, 0)).toBe(empty);
  });

  it('a declared length of exactly the limit goes through untouched; one byte over is refused unread', async () => {
    const exact = new Response('12345', { headers: { 'content-length': '5' } });
    expect(await bound(exact, 5)).toBe(exact);
    const over = new Response('123456', { headers: { 'content-length': '6' } });
    const error = await bound(over, 5).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ResponseBodyError);
    expect((error as ResponseBodyError).message).toBe('The response body is 6 bytes, more than the 5 bytes allowed (maxBodyBytes)');
    expect((error as ResponseBodyError).response).toBe(over);
  });

  it('an undeclared length is counted as it streams: exactly the limit is read in full, one byte more is refused', async () => {
    const exact = await bound(streamed('0123456789'), 10);
    expect(await exact.text()).toBe('0123456789');
    const error = await bound(streamed('0123456789A'), 10).catch((cause: unknown) => cause);
    expect((error as Error).message).toBe('The response body is more than the 10 bytes allowed (maxBodyBytes)');
  });
});

describe('describeCause', () => {
  it("adds the cause's message, unless the message says it already", () => {
    expect(describeCause(new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:9)');
    expect(describeCause(new Error('read ECONNRESET here', { cause: new Error('ECONNRESET') }))).toBe('read ECONNRESET here');
    expect(describeCause(new Error('alone'))).toBe('alone');
    expect(describeCause(new Error('odd cause', { cause: 'a string' }))).toBe('odd cause');
    expect(describeCause('not an error')).toBe('not an error');
    expect(describeCause(undefined)).toBe('undefined');
  });
});
