import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { connectClient } from '../support/socketClient';
import { freePort } from '../support/redisServer';
import { percentile, round } from './stats';

interface ServerProc {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts `server/index.ts` as its own process (as in production), on a free port. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProc> {
  const port = await freePort();
  const child: ChildProcess = spawn('npx', ['tsx', 'server/index.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ROOMWATCH_SITES: 'tests/fixtures/sites.test.yaml', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

const BOOTHS = ['inj-1', 'inj-2', 'inj-3', 'inj-4', 'smk-1', 'smk-2', 'smk-3'];
const CYCLE = ['check-in', 'check-out', 'cleaned'] as const;

/**
 * Sequential booth commands over HTTP while `clients` Socket.IO clients watch the site:
 * round trip = POST until its response; push = POST sent until every client has the change.
 */
export async function measureFloorLatency(baseUrl: string, opts: { clients: number; commands: number }) {
  const clients = await Promise.all(Array.from({ length: opts.clients }, () => connectClient(baseUrl)));
  for (const c of clients) {
    const ack = await c.subscribe('alpha');
    if (!ack.ok) throw new Error('subscribe failed');
  }
  const rtt: number[] = [];
  const push: number[] = [];
  for (let i = 0; i < opts.commands; i++) {
    const booth = BOOTHS[Math.floor(i / 3) % BOOTHS.length]!;
    const cmd = CYCLE[i % 3]!;
    const t0 = performance.now();
    const arrived = Promise.all(clients.map((c) => c.next((ch) => ch.booth?.id === booth && ch.type === cmd && ch.seq > 0, 10_000)));
    const res = await fetch(`${baseUrl}/api/sites/alpha/booths/${booth}/${cmd}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: cmd === 'check-in' ? JSON.stringify({ substance: 'cocaine', route: 'injection' }) : '{}',
    });
    await res.text();
    if (res.status !== 200) throw new Error(`command ${cmd} on ${booth} failed: ${res.status}`);
    rtt.push(performance.now() - t0);
    await arrived;
    push.push(performance.now() - t0);
    for (const c of clients) c.changes.length = 0;
  }
  for (const c of clients) c.socket.disconnect();
  return {
    commands: opts.commands,
    clients: opts.clients,
    rtt_p50_ms: round(percentile(rtt, 50)),
    rtt_p99_ms: round(percentile(rtt, 99)),
    push_p50_ms: round(percentile(push, 50)),
    push_p99_ms: round(percentile(push, 99)),
  };
}
