import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

const found = new Map<string, string | null>();

function locate(program: string): string | null {
  if (found.has(program)) return found.get(program)!;
  let path: string | null = null;
  if (program.startsWith('/')) path = existsSync(program) ? program : null;
  else {
    try {
      path = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || null;
    } catch {
      path = null;
    }
  }
  found.set(program, path);
  return path;
}

/**
 * Whether a tier's external program is here. Under CI a missing program is a failure, never
 * a skip; elsewhere the tier is skipped with a loud line saying what to install.
 */
export function haveProgram(program: string, install: string): boolean {
  if (locate(program)) return true;
  if (IN_CI) throw new Error(`${program} is required under CI=true but was not found (install: ${install})`);
  console.warn(`\n*** SKIPPING tests that need ${program}: not found. Install it with: ${install} ***\n`);
  return false;
}

export const REDIS_SERVER = 'redis-server';
export const CHROMIUM = '/usr/bin/chromium';
export const haveRedis = () => haveProgram(REDIS_SERVER, 'apt-get install -y redis-server');
export const haveChromium = () => haveProgram(CHROMIUM, 'apt-get install -y chromium');
