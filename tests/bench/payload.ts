import { deflateRawSync } from 'node:zlib';
import WebSocket from 'ws';
import { startTestServer } from '../support/testServer';
import { printTable } from './stats';

/**
 * Payload per change (issue 16): the bytes of one `site:changed` frame as a screen receives it,
 * on a real day's counters (650 registrations, a few hundred check-ins), per command, and how
 * much of it is the day's counters that every change repeats. Also what permessage-deflate would
 * make of it (compressed alone, as a fresh deflate context would; sockets that keep their context
 * compress repeated counters better). Alone: `npx tsx tests/bench/payload.ts`.
 */
export async function payloadPerChange(): Promise<Array<Record<string, string | number>>> {
  const srv = await startTestServer();
  const post = (path: string, body: unknown = {}) =>
    fetch(`${srv.baseUrl}/api/sites/alpha${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${srv.adminToken}` },
      body: JSON.stringify(body),
    }).then(async (r) => {
      await r.text();
      if (!r.ok) throw new Error(`${path}: ${r.status}`);
    });
  try {
    // A real day so far: hundreds of intakes, four-digit-ish counters.
    for (let i = 0; i < 650; i++) await post('/registrations');
    for (let i = 0; i < 300; i++) {
      const booth = ['inj-1', 'inj-2', 'inj-3', 'smk-1', 'smk-2'][i % 5]!;
      await post(`/booths/${booth}/check-in`, { substance: i % 2 ? 'cocaine' : 'heroin', route: booth.startsWith('smk') ? 'inhalation' : 'injection' });
      await post(`/booths/${booth}/check-out`);
      await post(`/booths/${booth}/cleaned`);
    }
    const frames: string[] = [];
    const ws = new WebSocket(srv.baseUrl.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket');
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (data: WebSocket.RawData) => {
        const msg = data.toString();
        if (msg === '2') return ws.send('3');
        if (msg.startsWith('0')) return ws.send(`40${JSON.stringify({ token: srv.adminToken })}`);
        if (msg.startsWith('40')) return ws.send(`420${JSON.stringify(['site:subscribe', { siteId: 'alpha' }])}`);
        if (msg.startsWith('430')) return resolve();
        if (msg.startsWith('42["site:changed"')) frames.push(msg);
      });
    });
    const rows: Array<Record<string, string | number>> = [];
    const steps: Array<[string, string, unknown?]> = [
      ['registration', '/registrations'],
      ['check-in', '/booths/inj-4/check-in', { substance: 'heroin', route: 'injection' }],
      ['check-out', '/booths/inj-4/check-out'],
      ['cleaned', '/booths/inj-4/cleaned'],
    ];
    for (const [name, path, body] of steps) {
      const before = frames.length;
      await post(path, body);
      const deadline = Date.now() + 5000;
      while (frames.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const frame = frames[before];
      if (!frame) throw new Error(`no site:changed for ${name}`);
      const change = (JSON.parse(frame.slice(2)) as [string, { counters: unknown }])[1];
      rows.push({
        change: name,
        frame_bytes: Buffer.byteLength(frame),
        counters_bytes: Buffer.byteLength(JSON.stringify(change.counters)),
        deflated_bytes: deflateRawSync(frame).length,
      });
    }
    ws.close();
    return rows;
  } finally {
    await srv.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await payloadPerChange();
  console.log('Payload of one site:changed frame on a real day (bytes as sent over the WebSocket)');
  printTable(rows);
  process.exit(0);
}
