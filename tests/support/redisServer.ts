import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  /** Stops gracefully (or with `signal`) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and data dir (its append-only file, if enabled). */
  start(): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP / SIGCONT freeze and thaw it, like a stalled machine). */
  signal(signal: NodeJS.Signals): void;
  /** The running process's id (the benchmark reads its CPU time), or undefined while stopped. */
  pid(): number | undefined;
  /** Stops and deletes the data dir. */
  destroy(): Promise<void>;
}

async function waitForPing(url: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    try {
      await c.connect();
      if ((await c.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis at ${url} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      c.disconnect();
    }
  }
}

/**
 * Starts a throwaway `redis-server` on a free loopback port with its own data dir. `appendfsync`
 * is `everysec` (the compose default) unless asked for `always`.
 */
export async function startRedis(opts: { appendonly?: boolean; appendfsync?: 'everysec' | 'always'; args?: string[] } = {}): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rw-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no'];
  args.push('--appendonly', opts.appendonly ? 'yes' : 'no', '--appendfsync', opts.appendfsync ?? 'everysec', ...(opts.args ?? []));
  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitForPing(url);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((done) => {
      c.once('exit', () => done());
      c.kill(signal);
    });
  };
  await start();
  return {
    url,
    port,
    dir,
    stop,
    start,
    signal: (signal) => void (child as ChildProcess | null)?.kill(signal),
    pid: () => (child as ChildProcess | null)?.pid,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
