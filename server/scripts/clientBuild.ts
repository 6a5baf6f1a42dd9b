import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The lock file too: a changed dependency (e.g. a swapped polyfill) changes the bundle.
const SOURCES = ['client/src', 'client/index.html', 'client/vite.config.ts', 'client/public', 'shared', 'package-lock.json'];
const BUILT = join(ROOT, 'client/dist/index.html');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when client/dist is missing or older than any client or shared source. */
export function clientBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built);
}

/** Builds the client with Vite when it is missing or stale; otherwise does nothing. */
export async function ensureClientBuilt(log: (msg: string) => void = console.log): Promise<void> {
  if (!clientBuildIsStale()) return;
  log('Building the client (missing or older than its sources)…');
  const { build } = await import('vite');
  // Always the production bundle, the one that ships: under Vitest NODE_ENV is 'test', and Vite
  // then builds Vue's development code into it (vendor 315 kB instead of 234 kB), which the
  // browser tests would test and the page-weight bench would measure.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'client/vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log('Client built.');
}
