import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requireClientBuild } from '../support/browser';
import { startTestServer, type TestServer } from '../support/testServer';

/** A raw GET (no automatic decompression), so the test sees exactly what went over the wire. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('delivery of the built client and the API: compression, caching, no public source maps', () => {
  let srv: TestServer;
  /** The scripts of the first load: the entry and every module it preloads. */
  let scripts: string[] = [];
  /** The largest of them (the entry itself is under 1 kB, below the compression threshold). */
  let script = '';

  beforeAll(async () => {
    requireClientBuild(inject);
    srv = await startTestServer();
    const index = await rawGet(`${srv.baseUrl}/`);
    scripts = [...index.body.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const sizes = await Promise.all(scripts.map(async (s) => (await rawGet(srv.baseUrl + s)).body.length));
    script = scripts[sizes.indexOf(Math.max(...sizes))] ?? '';
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('serves index.html for client routes, revalidated on every load', async () => {
    for (const path of ['/', '/wall/alpha', '/console/alpha']) {
      const res = await rawGet(srv.baseUrl + path);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toContain('<div id="app">');
    }
    const sw = await rawGet(`${srv.baseUrl}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache'); // a new service worker must reach phones at once
  });

  it('names a floor page\'s own chunks and styles in its HTML (fetched beside the app), each served; the manifest itself is not', async () => {
    const linked = async (path: string) => [...(await rawGet(srv.baseUrl + path)).body.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const home = await linked('/');
    for (const [path, page] of [
      ['/wall/alpha', 'WallPage'],
      ['/console/alpha', 'ConsolePage'],
    ] as const) {
      const files = await linked(path);
      expect(files, path).toEqual(expect.arrayContaining(home));
      const extra = files.filter((f) => !home.includes(f));
      expect(extra.some((f) => f.startsWith(`/assets/${page}-`) && f.endsWith('.js')), path).toBe(true);
      expect(extra.some((f) => f.startsWith(`/assets/${page}-`) && f.endsWith('.css')), path).toBe(true);
      for (const f of extra) expect((await rawGet(srv.baseUrl + f)).status, f).toBe(200);
    }
    expect(await linked('/sites/alpha/report')).toEqual(home);
    const manifest = await rawGet(`${srv.baseUrl}/.vite/manifest.json`);
    expect(manifest.body.toString()).not.toContain('isDynamicEntry');
  });

  it('sends hashed scripts as immutable for a year, brotli or gzip as the browser asks', async () => {
    expect(scripts.some((s) => /^\/assets\/index-[\w-]+\.js$/.test(s))).toBe(true);
    for (const s of scripts) {
      const res = await rawGet(srv.baseUrl + s, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.headers['cache-control'], s).toBe('public, max-age=31536000, immutable');
      // Compressed unless under the 1-kB threshold, where compression costs more than it saves.
      if (Number(res.headers['content-length'] ?? res.body.length) >= 1024 || res.headers['content-encoding']) expect(res.headers['content-encoding'], s).toBe('br');
    }
    const plain = await rawGet(srv.baseUrl + script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();

    const br = await rawGet(srv.baseUrl + script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await rawGet(srv.baseUrl + script, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    console.log(`main script ${script}: ${plain.body.length} bytes, brotli ${br.body.length}, gzip ${gz.body.length}`);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('compresses JSON answers of the API too', async () => {
    const res = await rawGet(`${srv.baseUrl}/api/sites/alpha/forecast?date=2026-06-01`, { authorization: `Bearer ${srv.adminToken}`, 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString())).toMatchObject({ date: '2026-06-01' });
  });

  it('publishes no source maps: no pointer in the scripts, and *.map answers 404', async () => {
    const plain = await rawGet(srv.baseUrl + script);
    expect(plain.body.toString()).not.toMatch(/sourceMappingURL/);
    expect((await rawGet(`${srv.baseUrl}${script}.map`)).status).toBe(404);
  });
});
