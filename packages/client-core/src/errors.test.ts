// What an error says: the server's own words whatever shape it gave them, and never a secret.
import { describe, expect, it } from 'vitest';
import { messageOf, redact, redactBody } from './errors.js';

describe('messageOf', () => {
  it('a text body is the message, trimmed and cut at 500 characters; a blank one gives the status', () => {
    expect(messageOf('  Bad gateway\n', 502)).toBe('Bad gateway');
    expect(messageOf('x'.repeat(600), 502)).toBe('x'.repeat(500));
    expect(messageOf(' \n ', 502)).toBe('HTTP 502');
  });

  it("reads the vendors' `message`, then Prism's `error.message`, then a plain `error`", () => {
    expect(messageOf({ status: 409, message: 'Email already exists', error: { message: 'not this' } }, 409)).toBe('Email already exists');
    expect(messageOf({ message: '', error: { code: 'invalid_json', message: 'Invalid JSON' } }, 400)).toBe('Invalid JSON');
    expect(messageOf({ error: 'UNAUTHORIZED' }, 401)).toBe('UNAUTHORIZED');
    expect(messageOf({ message: 42, error: '' }, 400)).toBe('HTTP 400');
  });

  it('joins a problem body: title, detail, then each violation with its location', () => {
    const problem = {
      title: 'Invalid request',
      detail: 'Your request is not valid',
      validation: [
        { location: ['body', 'email'], message: 'must match format "email"' },
        { message: 'no location' },
        { location: ['query', 'x'] },
        null,
      ],
    };
    expect(messageOf(problem, 422)).toBe('Invalid request: Your request is not valid: body.email: must match format "email": no location');
    expect(messageOf({ detail: 'Only a detail', validation: 'not a list' }, 422)).toBe('Only a detail');
  });

  it('a body with nothing to say gives the status', () => {
    expect(messageOf({}, 404)).toBe('HTTP 404');
    expect(messageOf(null, 500)).toBe('HTTP 500');
    expect(messageOf(undefined, 503)).toBe('HTTP 503');
    expect(messageOf({ title: '', validation: [] }, 418)).toBe('HTTP 418');
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret, and skips an empty or missing one', () => {
    expect(redact('key k-1 and k-1 again, token t-2', ['k-1', 't-2'])).toBe('key [redacted] and [redacted] again, token [redacted]');
    expect(redact('nothing here', ['', undefined as unknown as string])).toBe('nothing here');
  });

  it('a body without a secret comes back as it was, the same object', () => {
    const body = { message: 'fine' };
    expect(redactBody(body, ['k-1'])).toBe(body);
    expect(redactBody(undefined, ['k-1'])).toBeUndefined();
  });

  it('a body is redacted wherever the secret sits, also where JSON escaped it', () => {
    expect(redactBody({ message: 'Invalid key: k-1', seen: ['k-1'] }, ['k-1'])).toEqual({ message: 'Invalid key: [redacted]', seen: ['[redacted]'] });
    const quoted = 'pa"ss\\word';
    expect(redactBody({ message: `Bad password ${quoted}` }, [quoted])).toEqual({ message: 'Bad password [redacted]' });
  });

  it('a secret that matches across the JSON punctuation leaves the redacted text, never the secret', () => {
    expect(redactBody({ a: 'x' }, ['":"'])).toBe('{"a[redacted]x"}');
  });
});
