import WebSocket from 'ws';

// Many lightweight Socket.IO clients speaking the wire protocol directly over `ws` (Engine.IO
// v4 + Socket.IO v5 packets), so one benchmark process can hold 2,000 screens without its own
// parsing cost hiding the server's latency. They subscribe to a site and note, per `seq`, how
// many screens have it and when the last one got it.

export interface ExportedArrivals {
  counts: Uint32Array;
  lastAts: Float64Array;
  /** performance.timeOrigin of the process that noted them. */
  origin: number;
  frames: number;
  bytes: number;
  broken: number;
}

/**
 * What the screens received, per `seq`: how many screens have it and when the last one got it.
 * Typed arrays indexed by seq, not Maps: 2,000 screens at 200 changes/s note 400,000 arrivals a
 * second, and a Map's boxed timestamps made the benchmark's own garbage collector part of the figure.
 */
export class Arrivals {
  private counts = new Uint32Array(4096);
  private lastAts = new Float64Array(4096);
  /** Frames received over all screens that carry a change from `countFrom` on, and their bytes (payload per screen). */
  frames = 0;
  bytes = 0;
  /** Frames that broke the contract: a gap after the screen's last seq, or a frame whose changes do not run first..last. */
  broken = 0;
  /** The site's seq when the screens subscribed (the highest any of them started from). */
  startSeq = 0;
  /** Frames and bytes count only from this seq: a frame of warm-up changes only arriving after the warm-up is not measured. */
  countFrom = 0;

  note(from: number, to: number, at: number): void {
    if (to >= this.counts.length) this.grow(to);
    for (let seq = from; seq <= to; seq++) {
      this.counts[seq]!++;
      this.lastAts[seq] = at;
    }
  }

  countOf(seq: number): number {
    return this.counts[seq] ?? 0;
  }

  lastAtOf(seq: number): number {
    return this.lastAts[seq] ?? 0;
  }

  /** Zeroes the frame counters and counts frames only from `countFrom` on (the measured changes). */
  begin(countFrom: number): void {
    this.frames = this.bytes = this.broken = 0;
    this.countFrom = countFrom;
  }

  /** What a screen process hands back: its arrays (timestamps on its own clock) and counters. */
  exported(): ExportedArrivals {
    return { counts: this.counts, lastAts: this.lastAts, origin: performance.timeOrigin, frames: this.frames, bytes: this.bytes, broken: this.broken };
  }

  /**
   * Adds another process's arrivals: counts add up, the last arrival is the later of the two. Its
   * timestamps move onto this process's clock (each process's performance.now() has its own origin).
   */
  absorb(other: ExportedArrivals): void {
    const shift = other.origin - performance.timeOrigin;
    if (other.counts.length > this.counts.length) this.grow(other.counts.length - 1);
    for (let seq = 0; seq < other.counts.length; seq++) {
      if (!other.counts[seq]) continue;
      this.counts[seq]! += other.counts[seq]!;
      this.lastAts[seq] = Math.max(this.lastAts[seq]!, other.lastAts[seq]! + shift);
    }
    this.frames += other.frames;
    this.bytes += other.bytes;
    this.broken += other.broken;
  }

  private grow(to: number): void {
    let size = this.counts.length;
    while (size <= to) size *= 2;
    const counts = new Uint32Array(size);
    const lastAts = new Float64Array(size);
    counts.set(this.counts);
    lastAts.set(this.lastAts);
    this.counts = counts;
    this.lastAts = lastAts;
  }
}

/**
 * Opens `n` screens on one instance. Each reads a frame's first and last `seq` (bytes, near its
 * two ends) and checks it follows on from its own last seq (ascending, gapless, the contract);
 * the first screen of the instance also counts every change in every frame, since one encoding
 * per frame goes to all of an instance's screens. Counting in every screen made the benchmark
 * process search 5 kB per frame per screen, a fifth of a core at 1,000 screens.
 */
export async function openScreens(baseUrl: string, opts: { n: number; token?: string; siteId: string; arrivals: Arrivals }): Promise<{ close(): void }> {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';
  const sockets: WebSocket[] = [];
  const SEQ = Buffer.from('"seq":');
  const CHANGE = Buffer.from('42["site:change'); // then `d"` (one change) or `s"` (a frame of several)
  const isChange = (buf: Buffer): boolean => {
    if (buf.length <= CHANGE.length + 1) return false;
    for (let i = 0; i < CHANGE.length; i++) if (buf[i] !== CHANGE[i]) return false;
    const kind = buf[CHANGE.length];
    return (kind === 100 /* d */ || kind === 115) /* s */ && buf[CHANGE.length + 1] === 34; /* " */
  };
  const { arrivals } = opts;
  /** The number after the `"seq":` at byte `at` (digits only, so a byte walk is exact). */
  const seqAt = (buf: Buffer, at: number): number => {
    let n = 0;
    for (let i = at + SEQ.length; i < buf.length && buf[i]! >= 48 && buf[i]! <= 57; i++) n = n * 10 + buf[i]! - 48;
    return n;
  };
  const countSeqs = (buf: Buffer, first: number): number => {
    let n = 0;
    for (let i = first; i !== -1; i = buf.indexOf(SEQ, i + SEQ.length)) n++;
    return n;
  };
  const opened = Array.from({ length: opts.n }, (_, index) => {
    const verifier = index === 0;
    let lastSeq = -1;
    return new Promise<void>((resolve, reject) => {
      // Socket.IO's server sends valid UTF-8; checking it again per frame and screen costs the benchmark, not the server.
      const ws = new WebSocket(wsUrl, { skipUTF8Validation: true });
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('message', (data: WebSocket.RawData) => {
        const buf = data as Buffer;
        if (isChange(buf)) {
          const at = performance.now();
          const first = buf.indexOf(SEQ);
          const last = buf.lastIndexOf(SEQ);
          const from = seqAt(buf, first);
          const to = seqAt(buf, last);
          if (to >= arrivals.countFrom) {
            arrivals.frames++;
            arrivals.bytes += buf.length;
          }
          if (first === -1 || to < from || (verifier && countSeqs(buf, first) !== to - from + 1)) {
            arrivals.broken++;
            return;
          }
          // Changes the subscribe snapshot already held come again (joined before reading): skip them.
          if (to <= lastSeq) return;
          if (from > lastSeq + 1) {
            arrivals.broken++; // a gap: this screen would resync; count nothing it cannot vouch for
            lastSeq = to;
            return;
          }
          arrivals.note(Math.max(from, lastSeq + 1), to, at);
          lastSeq = to;
          return;
        }
        const msg = buf.toString();
        const type = msg.charCodeAt(0);
        if (msg === '2') return ws.send('3'); // engine.io ping → pong
        if (type === 48 /* '0' open */) return ws.send(`40${opts.token ? JSON.stringify({ token: opts.token }) : ''}`);
        if (msg.startsWith('40')) return ws.send(`420${JSON.stringify(['site:subscribe', { siteId: opts.siteId }])}`);
        if (msg.startsWith('430')) {
          // The subscribe ack: its snapshot's seq is where this screen's changes start.
          const [ack] = JSON.parse(msg.slice(3)) as [{ ok: boolean; snapshot?: { seq: number } }];
          if (!ack.ok || typeof ack.snapshot?.seq !== 'number') return reject(new Error(`subscribe refused: ${msg.slice(0, 200)}`));
          lastSeq = ack.snapshot.seq;
          arrivals.startSeq = Math.max(arrivals.startSeq, lastSeq);
          return resolve();
        }
        if (msg.startsWith('44')) return reject(new Error(`connect refused: ${msg}`));
      });
    });
  });
  // open in batches so the server's accept queue is not flooded
  for (let i = 0; i < opened.length; i += 100) await Promise.all(opened.slice(i, i + 100));
  return { close: () => sockets.forEach((s) => s.terminate()) };
}
