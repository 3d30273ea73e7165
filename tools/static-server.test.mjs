// @ts-check
// The docs' static server, over real HTTP on 127.0.0.1: what it serves, with which type, and what it refuses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from './static-server.mjs';

/** A raw GET whose path is sent as written (fetch would normalise `..` away). @param {string} url @param {string} path */
function rawGet(url, path) {
  return new Promise((resolve, reject) => {
    request(`${url}${path}`, { method: 'GET', path }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    })
      .on('error', reject)
      .end();
  });
}

describe('startStaticServer', () => {
  const parent = mkdtempSync(join(tmpdir(), 'static-server-'));
  const root = join(parent, 'site');
  /** @type {import('./static-server.mjs').StaticServer} */
  let server;

  beforeAll(async () => {
    mkdirSync(join(root, 'specs'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<p>Océan</p>');
    writeFileSync(join(root, 'specs', 'api.yaml'), 'openapi: 3.1.0\n');
    writeFileSync(join(parent, 'secret.txt'), 'outside the root');
    server = await startStaticServer({ root });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 on a free port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves / as index.html, in UTF-8', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('<p>Océan</p>');
  });

  it('serves files in folders with their type, and HEAD without a body', async () => {
    const response = await fetch(`${server.url}/specs/api.yaml`);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(await response.text()).toBe('openapi: 3.1.0\n');
    const head = await fetch(`${server.url}/specs/api.yaml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('15');
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    expect((await fetch(`${server.url}/missing.html`)).status).toBe(404);
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('never serves a file outside its root', async () => {
    expect(await rawGet(server.url, '/..%2Fsecret.txt')).toBe(403);
    expect(await rawGet(server.url, '/specs/..%2F..%2Fsecret.txt')).toBe(403);
    expect(await rawGet(server.url, '/../secret.txt')).toBe(404); // URL parsing resolves it to /secret.txt
  });
});
