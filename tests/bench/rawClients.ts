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
  const SEQ = Buffer.from('"seq":');
  const CHANGED = Buffer.from('42["site:changed"');
  const CHANGES = Buffer.from('42["site:changes"');
  /** The number after the `"seq":` at byte `at` (digits only, so a byte walk is exact). */
  const seqAt = (buf: Buffer, at: number): number => {
    let n = 0;
    for (let i = at + SEQ.length; i < buf.length && buf[i]! >= 48 && buf[i]! <= 57; i++) n = n * 10 + buf[i]! - 48;
    return n;
  };
  const opened = Array.from({ length: opts.n }, () => {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('message', (data: WebSocket.RawData) => {
        const buf = data as Buffer;
        // Frames first, read as bytes: a screen of 1,000 in this one process must cost little, or
        // the benchmark measures its own parsing (a JS regex over every frame's text once did).
        if (buf.subarray(0, CHANGED.length).equals(CHANGED) || buf.subarray(0, CHANGES.length).equals(CHANGES)) {
          const at = performance.now();
          // One change, or a frame of several: every change carries one `seq`, ascending and
          // gapless (the contract), so the first and the last name them all — and the count of
          // `"seq":` must match, or the frame broke the contract and is counted as missing.
          const first = buf.indexOf(SEQ);
          const last = buf.lastIndexOf(SEQ);
          const from = seqAt(buf, first);
          const to = seqAt(buf, last);
          let n = 0;
          for (let i = first; i !== -1; i = buf.indexOf(SEQ, i + SEQ.length)) n++;
          if (first !== -1 && n === to - from + 1) {
            for (let seq = from; seq <= to; seq++) {
              opts.arrivals.count.set(seq, (opts.arrivals.count.get(seq) ?? 0) + 1);
              opts.arrivals.lastAt.set(seq, at);
            }
          }
          opts.arrivals.frames = (opts.arrivals.frames ?? 0) + 1;
          opts.arrivals.bytes = (opts.arrivals.bytes ?? 0) + buf.length;
          return;
        }
        const msg = buf.toString();
        const type = msg.charCodeAt(0);
        if (msg === '2') return ws.send('3'); // engine.io ping → pong
        if (type === 48 /* '0' open */) return ws.send(`40${opts.token ? JSON.stringify({ token: opts.token }) : ''}`);
        if (msg.startsWith('40')) return ws.send(`420${JSON.stringify(['site:subscribe', { siteId: opts.siteId }])}`);
        if (msg.startsWith('430')) return resolve(); // the subscribe ack
        if (msg.startsWith('44')) return reject(new Error(`connect refused: ${msg}`));
      });
    });
  });
  // open in batches so the server's accept queue is not flooded
  for (let i = 0; i < opened.length; i += 100) await Promise.all(opened.slice(i, i + 100));
  return { close: () => sockets.forEach((s) => s.terminate()) };
}
