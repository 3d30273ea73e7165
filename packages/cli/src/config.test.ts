import { describe, expect, it } from 'vitest';
import { takeControlBaseUrl } from './config.js';

describe('where Take Control commands connect', () => {
  it("--base-url, else --region in the spec's server URL, else TAKE_CONTROL_URL, else the spec's default region", () => {
    expect(takeControlBaseUrl({ baseUrl: 'http://127.0.0.1:4020/', region: 'eu1' }, { TAKE_CONTROL_URL: 'https://x.example' })).toBe('http://127.0.0.1:4020');
    expect(takeControlBaseUrl({ region: 'eu1' }, { TAKE_CONTROL_URL: 'https://x.example' })).toBe('https://api.eu1.swi-rc.com/rest');
    expect(takeControlBaseUrl({}, { TAKE_CONTROL_URL: 'https://x.example/rest' })).toBe('https://x.example/rest');
    expect(takeControlBaseUrl({}, {})).toBe('https://api.us0.swi-rc.com/rest');
  });

  it('refuses a region that is not a name, and a URL that is not http(s)', () => {
    expect(() => takeControlBaseUrl({ region: 'eu1.evil.example/x' })).toThrow(/--region is a region name such as us0/);
    expect(() => takeControlBaseUrl({}, { TAKE_CONTROL_URL: 'ftp://x.example' })).toThrow(/TAKE_CONTROL_URL is not an http\(s\) URL/);
  });
});
