import { performance } from 'node:perf_hooks';
import { connectClient } from '../support/socketClient';
import { percentile, round } from './stats';

const BOOTHS = ['inj-1', 'inj-2', 'inj-3', 'inj-4', 'smk-1', 'smk-2', 'smk-3'];
const CYCLE = ['check-in', 'check-out', 'cleaned'] as const;

/**
 * Sequential booth commands over HTTP while `clients` Socket.IO clients watch the site:
 * round trip = POST until its response; push = POST sent until every client has the change.
 */
export async function measureFloorLatency(baseUrl: string, token: string, opts: { clients: number; commands: number }) {
  const clients = await Promise.all(Array.from({ length: opts.clients }, () => connectClient(baseUrl, token)));
  for (const c of clients) {
    const ack = await c.subscribe('alpha');
    if (!ack.ok) throw new Error('subscribe failed');
  }
  const rtt: number[] = [];
  const push: number[] = [];
  // whole cycles over every booth, so each run leaves every booth free for the next
  const total = opts.commands - (opts.commands % (BOOTHS.length * CYCLE.length));
  for (let i = 0; i < total; i++) {
    const booth = BOOTHS[Math.floor(i / 3) % BOOTHS.length]!;
    const cmd = CYCLE[i % 3]!;
    const t0 = performance.now();
    const arrived = Promise.all(clients.map((c) => c.next((ch) => ch.booth?.id === booth && ch.type === cmd && ch.seq > 0, 10_000)));
    const res = await fetch(`${baseUrl}/api/sites/alpha/booths/${booth}/${cmd}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
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
    commands: total,
    clients: opts.clients,
    rtt_p50_ms: round(percentile(rtt, 50)),
    rtt_p99_ms: round(percentile(rtt, 99)),
    push_p50_ms: round(percentile(push, 50)),
    push_p99_ms: round(percentile(push, 99)),
  };
}
