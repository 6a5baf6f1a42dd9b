import WebSocket from 'ws';

/**
 * Many lightweight Socket.IO clients speaking the wire protocol directly over `ws` (Engine.IO
 * v4 + Socket.IO v5 packets), so one benchmark process can hold 1,000 screens without its own
 * parsing cost hiding the server's latency. They subscribe to a site and note, per `seq`, how
 * many screens have it and when the last one got it.
 */
export interface Arrivals {
  count: Map<number, number>;
  lastAt: Map<number, number>;
  /** Frames received over all screens, and their characters (payload per screen). */
  frames?: number;
  bytes?: number;
}

export async function openScreens(baseUrl: string, opts: { n: number; token?: string; siteId: string; arrivals: Arrivals }): Promise<{ close(): void }> {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';
  const sockets: WebSocket[] = [];
  const seqRe = /"seq":(\d+)/g;
  const opened = Array.from({ length: opts.n }, () => {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('message', (data: WebSocket.RawData) => {
        const msg = data.toString();
        const type = msg.charCodeAt(0);
        if (msg === '2') return ws.send('3'); // engine.io ping → pong
        if (type === 48 /* '0' open */) return ws.send(`40${opts.token ? JSON.stringify({ token: opts.token }) : ''}`);
        if (msg.startsWith('40')) return ws.send(`420${JSON.stringify(['site:subscribe', { siteId: opts.siteId }])}`);
        if (msg.startsWith('430')) return resolve(); // the subscribe ack
        if (msg.startsWith('44')) return reject(new Error(`connect refused: ${msg}`));
        // One change, or a busy site's frame of several (`site:changes`): every seq in it has arrived.
        if (msg.startsWith('42["site:changed"') || msg.startsWith('42["site:changes"')) {
          const at = performance.now();
          for (const m of msg.matchAll(seqRe)) {
            const seq = Number(m[1]);
            opts.arrivals.count.set(seq, (opts.arrivals.count.get(seq) ?? 0) + 1);
            opts.arrivals.lastAt.set(seq, at);
          }
          opts.arrivals.frames = (opts.arrivals.frames ?? 0) + 1;
          opts.arrivals.bytes = (opts.arrivals.bytes ?? 0) + msg.length;
        }
      });
    });
  });
  // open in batches so the server's accept queue is not flooded
  for (let i = 0; i < opened.length; i += 100) await Promise.all(opened.slice(i, i + 100));
  return { close: () => sockets.forEach((s) => s.terminate()) };
}
