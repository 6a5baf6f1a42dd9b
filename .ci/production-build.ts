// CI: builds and starts the production image without Docker, by running server/Dockerfile's own
// instructions in clean temporary directories (one per stage, standing in for the image's `/`):
// FROM (the host's Node must be the image's major version), WORKDIR, ENV, COPY (from the build
// context, filtered by .dockerignore, or --from an earlier stage), RUN, USER/EXPOSE (noted),
// HEALTHCHECK and CMD. Then: the final stage holds production dependencies only and no
// TypeScript; the CMD starts with a throwaway redis-server; health is 200, the HEALTHCHECK
// passes, an admin signs in and a check-in works, the client comes compressed and cached;
// production start-up refuses a localhost VAPID contact; SIGTERM stops it cleanly.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRedis } from '../tests/support/redisServer';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCKERFILE = join(ROOT, 'server/Dockerfile');
const work = mkdtempSync(join(tmpdir(), 'rw-image-'));
const t0 = Date.now();
const report: Array<[string, string]> = [];
const step = (what: string) => console.log(`\n== ${what} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`production build check failed: ${what}`);
  console.log(`   ok: ${what}`);
}

// ---- the Dockerfile, instruction by instruction ---------------------------------------------
interface Instruction {
  op: string;
  args: string;
}
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!buf && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      buf += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (buf + line).trim();
    buf = '';
    const m = /^(\w+)\s+(.*)$/.exec(full);
    if (!m) throw new Error(`cannot read Dockerfile line: ${full}`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]! });
  }
  return out;
}
const execForm = (args: string): string[] | null => (args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : null);

// ---- the build context: the repository's files as `docker build .` would send them ----------
function buildContext(): string {
  const dir = join(work, 'context');
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/\/$/, ''))
    .filter((l) => l && !l.startsWith('#'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  let n = 0;
  for (const f of files) {
    if (ignore.some((p) => f === p || f.startsWith(`${p}/`))) continue;
    if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
    n++;
  }
  console.log(`   build context: ${n} files (${ignore.join(', ')} ignored)`);
  return dir;
}

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  healthcheck?: string[];
  cmd?: string[];
}

const du = (p: string): number => {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + du(join(p, e)), 0);
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function runDockerfile(): Stage {
  const instructions = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
  const context = buildContext();
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  const inStage = (s: Stage, p: string) => join(s.root, isAbsolute(p) ? p : join(s.workdir, p));
  for (const { op, args } of instructions) {
    if (op === 'FROM') {
      const [image = '', , name = `stage${stages.length}`] = args.split(/\s+/);
      const major = /^node:(\d+)/.exec(image)?.[1];
      check(major && process.versions.node.split('.')[0] === major, `FROM ${image}: this machine's Node ${process.versions.node} is that major version`);
      stage = { name, root: join(work, `stage-${stages.length}`), workdir: '/', env: {}, user: 'root' };
      mkdirSync(stage.root, { recursive: true });
      stages.push(stage);
      step(`stage ${name} (${image})`);
      continue;
    }
    if (!stage) throw new Error(`${op} before FROM`);
    const s = stage;
    switch (op) {
      case 'WORKDIR':
        s.workdir = args.trim();
        mkdirSync(join(s.root, s.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const [, k, v] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) s.env[k!] = v!.replace(/^"|"$/g, '');
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        const from = parts[0]?.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : null;
        const dest = parts.pop()!;
        const source = from ? stages.find((x) => x.name === from) : null;
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const src of parts) {
          const origin = source ? join(source.root, src) : join(context, src);
          const target = inStage(s, dest);
          const intoDir = dest.endsWith('/') || dest === '.' || (parts.length > 1);
          if (statSync(origin).isDirectory()) cpSync(origin, target, { recursive: true });
          else cpSync(origin, intoDir ? join(target, src.split('/').pop()!) : target);
        }
        console.log(`   COPY ${args}`);
        break;
      }
      case 'RUN': {
        console.log(`   RUN ${args}`);
        const started = Date.now();
        const r = spawnSync('sh', ['-c', args], { cwd: join(s.root, s.workdir), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, ...s.env }, stdio: 'inherit' });
        check(r.status === 0, `RUN ${args.slice(0, 60)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        break;
      }
      case 'USER':
        s.user = args.trim();
        break;
      case 'EXPOSE':
        break;
      case 'HEALTHCHECK': {
        const cmd = /\bCMD\s+(.*)$/.exec(args)?.[1] ?? '';
        s.healthcheck = execForm(cmd) ?? ['sh', '-c', cmd];
        break;
      }
      case 'CMD':
        s.cmd = execForm(args) ?? ['sh', '-c', args];
        break;
      default:
        throw new Error(`Dockerfile instruction ${op} is not understood by this check; teach it`);
    }
  }
  return stages[stages.length - 1]!;
}

// ---- run it ------------------------------------------------------------------------------------
async function main() {
  step('building the image from server/Dockerfile, without Docker');
  const image = runDockerfile();
  const app = join(image.root, image.workdir);
  check(image.cmd && image.cmd[0] === 'node' && !image.cmd.some((a) => /tsx|\.ts$/.test(a)), `CMD runs plain node: ${image.cmd?.join(' ')}`);
  check(image.env.NODE_ENV === 'production', 'NODE_ENV=production in the image');

  step('what the image holds');
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const modules = join(app, 'node_modules');
  // A development dependency may still be there when a production package needs it (@types/node for engine.io).
  const production = new Set(
    execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  );
  const devOnly = Object.keys(pkg.devDependencies).filter((d) => !(d in pkg.dependencies) && !production.has(d));
  const leaked = devOnly.filter((d) => existsSync(join(modules, d)));
  check(leaked.length === 0, `no development dependency installed (${devOnly.length} checked)${leaked.length ? `: ${leaked.join(', ')}` : ''}`);
  for (const tool of ['typescript', 'tsx', 'vite', 'esbuild']) check(!existsSync(join(modules, tool)), `no ${tool} at run time`);
  const tsFiles = execFileSync('find', [app, '-name', '*.ts', '-not', '-name', '*.d.ts', '-not', '-path', '*/node_modules/*'], { encoding: 'utf8' }).trim();
  check(tsFiles === '', 'no TypeScript sources in the image');
  const maps = readdirSync(join(app, 'client/dist/assets')).filter((f) => f.endsWith('.map'));
  check(maps.length === 0, 'no client source maps in the image');
  const installed = readdirSync(modules).flatMap((d) => (d.startsWith('@') ? readdirSync(join(modules, d)).map((x) => `${d}/${x}`) : d.startsWith('.') ? [] : [d]));
  report.push(['server (server/dist)', mb(du(join(app, 'server/dist')))], ['client (client/dist)', mb(du(join(app, 'client/dist')))], ['node_modules', `${mb(du(modules))}, ${installed.length} packages`]);

  step('starting the CMD with production settings and a throwaway redis-server');
  const redis = await startRedis({ appendonly: true });
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    ...image.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    ROOMWATCH_ADMIN_PASSWORD: 'production-check-password',
    ROOMWATCH_VAPID_SUBJECT: 'mailto:it@roomwatch.example',
    LOG_LEVEL: 'warn',
  };
  const [cmd, ...cmdArgs] = image.cmd!;
  const server = spawn(cmd!, cmdArgs, { cwd: app, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  try {
    const started = Date.now();
    for (;;) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      if (Date.now() - started > 30_000) throw new Error('no healthy server after 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    check(true, `GET /api/health 200 after ${Date.now() - started} ms`);
    report.push(['start-up to healthy', `${Date.now() - started} ms`]);
    const health = (await (await fetch(`${base}/api/health`)).json()) as { store: string };
    check(health.store === 'redis', 'on Redis');

    const probe = image.healthcheck!.map((a) => a.replace('8080', String(port)));
    check(spawnSync(probe[0]!, probe.slice(1), { cwd: app, env, timeout: 5_000 }).status === 0, `HEALTHCHECK passes (${probe.join(' ').slice(0, 70)}…)`);

    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: env.ROOMWATCH_ADMIN_PASSWORD }) });
    check(login.status === 200, 'admin signs in');
    const cookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const made = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ kind: 'api', name: 'production check', role: 'staff', sites: ['skyen'] }) });
    const { token } = (await made.json()) as { token: string };
    const checkIn = await fetch(`${base}/api/sites/skyen/booths/inj-1/check-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'Idempotency-Key': 'production-check-1' },
      body: JSON.stringify({ substance: 'cocaine', route: 'injection' }),
    });
    const result = (await checkIn.json()) as { seq: number; booth: { state: string } };
    check(checkIn.status === 200 && result.booth.state === 'occupied', `a check-in works (seq ${result.seq}, inj-1 ${result.booth.state})`);

    const index = await (await fetch(`${base}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    check(script, 'the client is served');
    // The entry and every chunk it preloads: cached for good, and compressed unless too small to gain
    // from it (the server compresses from 1 kB; the entry itself can be smaller than that).
    const scripts = [...new Set([script, ...[...index.matchAll(/href="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!)])];
    let compressed = 0;
    for (const path of scripts) {
      const asset = await fetch(base + path, { headers: { 'accept-encoding': 'br' } });
      const size = (await asset.arrayBuffer()).byteLength;
      const br = asset.headers.get('content-encoding') === 'br';
      if (br) compressed++;
      check((br || size < 1024) && /immutable/.test(asset.headers.get('cache-control') ?? ''), `${path}: ${br ? 'brotli' : `${size} bytes, not compressed`}, ${asset.headers.get('cache-control')}`);
    }
    check(compressed > 0, `${compressed} of ${scripts.length} first-load scripts come brotli-compressed`);
  } finally {
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => (server.exitCode !== null ? done(server.exitCode) : server.once('exit', (c) => done(c))));
    check(code === 0, `SIGTERM: clean exit (${code})`);
    await redis.destroy();
  }

  step('production start-up refuses a localhost VAPID contact');
  const refused = spawnSync(cmd!, cmdArgs, { cwd: app, env: { ...env, PORT: String(await freePort()), ROOMWATCH_VAPID_SUBJECT: 'mailto:roomwatch@localhost' }, encoding: 'utf8', timeout: 15_000 });
  check(refused.status === 78 && /ROOMWATCH_VAPID_SUBJECT/.test(refused.stderr), `exit 78: ${refused.stderr.split('\n').find((l) => l.includes('VAPID'))?.trim()}`);

  console.log(`\nProduction build check passed in ${((Date.now() - t0) / 1000).toFixed(0)} s:`);
  for (const [k, v] of report) console.log(`  ${k.padEnd(24)} ${v}`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
