import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveProgram } from './programs';
import { freePort } from './redisServer';

export const CADDYFILE = new URL('../../server/deploy/Caddyfile', import.meta.url).pathname;
export const haveCaddy = () => haveProgram('caddy', 'apt-get install -y caddy');

export interface CaddyProcess {
  /** https://localhost:<port>, the origin browsers use. */
  origin: string;
  httpsPort: number;
  httpPort: number;
  /** PEM of Caddy's internal root CA, which signed the site's certificate. */
  rootPem: string;
  /** base64 SHA-256 of the SPKI of each certificate in the served chain (for Chromium's ignore list). */
  spkiHashes: string[];
  stop(): Promise<void>;
}

const spkiHash = (pem: string) => createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

/** GET over HTTPS trusting only `ca`: resolves the status, or rejects. */
export function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/**
 * The repository's own Caddyfile (server/deploy) run by the real `caddy` on free loopback ports,
 * with its internal CA (the LAN variant), its storage in a temporary dir (never the system's),
 * no admin endpoint, proxying to the app on `upstreamPort`.
 */
export async function startCaddy(upstreamPort: number): Promise<CaddyProcess> {
  const home = mkdtempSync(join(tmpdir(), 'rw-caddy-'));
  const httpsPort = await freePort();
  const httpPort = await freePort();
  const child: ChildProcess = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      ROOMWATCH_DOMAIN: `localhost:${httpsPort}`,
      ROOMWATCH_TLS: 'internal',
      ROOMWATCH_BIND: 'loopback',
      ROOMWATCH_HTTP_PORT: String(httpPort),
      ROOMWATCH_CADDY_ADMIN: 'off',
      ROOMWATCH_UPSTREAM_HOST: '127.0.0.1',
      ROOMWATCH_UPSTREAM_PORT: String(upstreamPort),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const pki = join(home, 'data/caddy/pki/authorities/local');
  const origin = `https://localhost:${httpsPort}`;
  const deadline = Date.now() + 20_000;
  let rootPem = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${child.exitCode}): ${log}`);
    if (existsSync(join(pki, 'root.crt'))) {
      rootPem = readFileSync(join(pki, 'root.crt'), 'utf8');
      // Served with a certificate that chains to that root: the TLS handshake verifies it.
      const ok = await httpsGet(`${origin}/api/live`, rootPem).then((r) => r.status === 200, () => false);
      if (ok) break;
    }
    if (Date.now() > deadline) throw new Error(`caddy did not serve ${origin}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const leafPem = readFileSync(join(home, `data/caddy/certificates/local/localhost/localhost.crt`), 'utf8');
  const chain = [leafPem, readFileSync(join(pki, 'intermediate.crt'), 'utf8'), rootPem];
  return {
    origin,
    httpsPort,
    httpPort,
    rootPem,
    spkiHashes: chain.map((pem) => spkiHash(pem.split(/(?=-----BEGIN CERTIFICATE-----)/)[0]!)),
    stop: async () => {
      await new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
