import { Agent, request } from 'node:http';
import type { Screens } from './screenProcesses';
import { percentile, round } from './stats';

// Keep-alive connections, as a real client pool would use.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, token: string | undefined): Promise<{ status: number; seq: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': '2', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const seq = Number(/"seq":(\d+)/.exec(text)?.[1] ?? -1);
        resolve({ status: res.statusCode ?? 0, seq });
      });
    });
    req.end('{}');
  });
}

/**
 * How long both servers run at the measured load before measuring starts. A process that has just
 * started runs its hot path in the interpreter until V8 has compiled it; a server in service has
 * long done that (a cold start's first second is shown apart, as `cold_p99_ms`).
 */
export const WARMUP_SECONDS = 3;

/**
 * Open loop at `rate` commands/s for `warmupSeconds` and then `seconds`: each measured command's
 * event-to-screen latency is the time from sending it until the last of `screens` clients has its
 * `seq`. The first second of the warm-up is reported on its own (`cold_p99_ms`). `measuring` is
 * called as the first measured command goes out and `sent` once the last has its reply (the span
 * over which the benchmark reads each process's CPU).
 */
export async function eventToScreen(opts: {
  url: string;
  token?: string;
  rate: number;
  seconds: number;
  screens: number;
  on: Screens;
  warmupSeconds?: number;
  measuring?: () => void;
  sent?: () => void;
}) {
  const sentAt = new Map<number, number>();
  const coldSentAt = new Map<number, number>();
  const warmup = Math.round(opts.rate * (opts.warmupSeconds ?? WARMUP_SECONDS));
  const total = warmup + opts.rate * opts.seconds;
  // What the screens take in is counted over the measured changes only, by seq: a frame of warm-up
  // changes that is still on its way when the measured part starts is not counted. (A warm-up
  // command that failed took no seq and would shift this by one; errors are reported.)
  opts.on.begin(opts.on.startSeq + warmup + 1);
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  let errors = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (i === warmup) opts.measuring?.();
    const into = i >= warmup ? sentAt : i < opts.rate ? coldSentAt : null;
    const t0 = performance.now();
    inflight.push(
      post(opts.url, opts.token).then(
        (r) => {
          if (r.status >= 300) errors++;
          else into?.set(r.seq, t0);
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  opts.sent?.();
  await new Promise((r) => setTimeout(r, 1_000)); // let the last pushes land
  const arrivals = await opts.on.collect();
  const latencies = (sent: Map<number, number>) => {
    const lat: number[] = [];
    let incomplete = 0;
    for (const [seq, t0] of sent) {
      if (arrivals.countOf(seq) < opts.screens) incomplete++;
      else lat.push(arrivals.lastAtOf(seq) - t0);
    }
    return { lat, incomplete };
  };
  const { lat, incomplete } = latencies(sentAt);
  const cold = latencies(coldSentAt);
  const perScreenSecond = opts.screens * opts.seconds;
  return {
    commands: total - warmup,
    errors,
    incomplete: incomplete + cold.incomplete,
    p50_ms: round(percentile(lat, 50)),
    p99_ms: round(percentile(lat, 99)),
    max_ms: round(Math.max(...lat)),
    cold_p99_ms: round(percentile(cold.lat, 99)),
    // What each screen had to take in: frames per second and kB per second.
    frames_per_screen_s: round(arrivals.frames / perScreenSecond),
    kb_per_screen_s: round(arrivals.bytes / 1024 / perScreenSecond),
    broken_frames: arrivals.broken,
  };
}

/** Closed loop with `concurrency` workers for `seconds` (after the warm-up): accepted commands per second. */
export async function sustained(opts: { url: string; token?: string; concurrency: number; seconds: number; warmupSeconds?: number }) {
  const warmupEnd = performance.now() + (opts.warmupSeconds ?? WARMUP_SECONDS) * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < warmupEnd) await post(opts.url, opts.token).catch(() => undefined);
    }),
  );
  const end = performance.now() + opts.seconds * 1000;
  let ok = 0;
  let failed = 0;
  const seqs: number[] = [];
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < end) {
        const r = await post(opts.url, opts.token).catch(() => ({ status: 0, seq: -1 }));
        if (r.status === 201) {
          ok++;
          seqs.push(r.seq);
        } else failed++;
      }
    }),
  );
  // correct results: every accepted command got its own seq, none repeated or skipped
  const sorted = seqs.sort((a, b) => a - b);
  const gapless = sorted.every((s, i) => i === 0 || s === sorted[i - 1]! + 1);
  return { per_second: Math.round(ok / opts.seconds), accepted: ok, failed, unique_gapless_seqs: gapless && new Set(seqs).size === seqs.length ? 'yes' : 'NO' };
}
