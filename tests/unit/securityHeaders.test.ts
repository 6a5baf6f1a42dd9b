import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../server/http/securityHeaders';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } },
  strictTransportSecurity: false,
};

/** The headers one reply of an app with `middleware` carries (Date varies, so it is left out). */
async function headersOf(middleware: express.RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use((_req, res, next) => (res.setHeader('X-Powered-By', 'something'), next()));
  app.use(middleware);
  app.get('/', (_req, res) => void res.json({ ok: true }));
  const server = createServer(app as RequestListener);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => (out[name] = value));
    delete out.date;
    return out;
  } finally {
    server.close();
  }
}

describe('security headers worked out once', () => {
  it('sends exactly what helmet sends for the same options, and removes what it removes', async () => {
    const fromHelmet = await headersOf(helmet(OPTIONS));
    const once = await headersOf(securityHeaders(OPTIONS));
    expect(once).toEqual(fromHelmet);
    expect(once['content-security-policy']).toContain("connect-src 'self'");
    expect(once['x-content-type-options']).toBe('nosniff');
    expect(once).not.toHaveProperty('x-powered-by');
    expect(once).not.toHaveProperty('strict-transport-security');
  });
});
