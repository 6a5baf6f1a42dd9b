import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SitesFile } from '../shared/siteConfig';

export const DEFAULT_SITES_FILE = fileURLToPath(new URL('./config/sites.sample.yaml', import.meta.url));

const Port = z.coerce.number().int().min(0).max(65535);
const PositiveInt = z.coerce.number().int().positive();

/** The environment variables Roomwatch reads, with defaults. */
const Env = z.object({
  PORT: Port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ROOMWATCH_SITES: z.string().min(1).default(DEFAULT_SITES_FILE),
  ROOMWATCH_ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').optional().or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROOMWATCH_EVENT_RETENTION: PositiveInt.default(1_000_000),
  ROOMWATCH_IDEMPOTENCY_HOURS: PositiveInt.max(24 * 30).default(24),
  ROOMWATCH_SHUTDOWN_GRACE_MS: PositiveInt.default(10_000),
  ROOMWATCH_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  ROOMWATCH_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ message: 'comma-separated origins like https://roomwatch.example.org' }))),
  ROOMWATCH_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  ROOMWATCH_SESSION_IDLE_MINUTES: PositiveInt.default(12 * 60),
  ROOMWATCH_SESSION_MAX_HOURS: PositiveInt.default(72),
  ROOMWATCH_LOGIN_MAX_FAILURES: PositiveInt.default(5),
  ROOMWATCH_LOGIN_MAX_FAILURES_PER_ADDRESS: PositiveInt.default(30),
  /** SMTP for e-mail alert channels, e.g. smtps://user:pass@mail.example.org:465; unset = no e-mail. */
  ROOMWATCH_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional().or(z.literal('').transform(() => undefined)),
  ROOMWATCH_SMTP_FROM: z.string().default('Roomwatch <roomwatch@localhost>'),
});

export interface Config {
  http: { port: number; host: string };
  redis: { url: string | undefined };
  sites: SitesFile;
  sitesFile: string;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  store: { eventRetention: number; idempotencyTtlMs: number };
  shutdownGraceMs: number;
  security: SecurityConfig;
  metricsToken: string | undefined;
  smtp: { url: string; from: string } | undefined;
}

export interface SecurityConfig {
  /** Express `trust proxy`: false, true, a hop count, or addresses/subnets. */
  trustProxy: boolean | number | string;
  /** Extra browser origins allowed for cookie writes and Socket.IO (the app's own is always allowed). */
  allowedOrigins: string[];
  sessionIdleMs: number;
  sessionMaxMs: number;
  login: { perUser: number; perAddress: number; windowSeconds: number };
}

export const DEFAULT_SECURITY: SecurityConfig = {
  trustProxy: false,
  allowedOrigins: [],
  sessionIdleMs: 12 * 3_600_000,
  sessionMaxMs: 72 * 3_600_000,
  login: { perUser: 5, perAddress: 30, windowSeconds: 900 },
};

/** Thrown when configuration is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the sites file (YAML or JSON), returning problems instead of throwing. */
export function readSitesFile(path: string): { sites?: SitesFile; problems: string[] } {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return { problems: [`ROOMWATCH_SITES: cannot read ${path}: ${(err as Error).message}`] };
  }
  const parsed = SitesFile.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => `ROOMWATCH_SITES (${path}) at ${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  return { sites: parsed.data, problems: [] };
}

/** Parses the environment once into a typed config; throws `ConfigError` listing all problems. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const sitesPath = parsed.success ? parsed.data.ROOMWATCH_SITES : (env.ROOMWATCH_SITES ?? DEFAULT_SITES_FILE);
  const sitesResult = readSitesFile(sitesPath);
  problems.push(...sitesResult.problems);
  if (!parsed.success || !sitesResult.sites) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    http: { port: e.PORT, host: e.HOST },
    redis: { url: e.REDIS_URL },
    sites: sitesResult.sites,
    sitesFile: sitesPath,
    adminPassword: e.ROOMWATCH_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    store: { eventRetention: e.ROOMWATCH_EVENT_RETENTION, idempotencyTtlMs: e.ROOMWATCH_IDEMPOTENCY_HOURS * 3_600_000 },
    shutdownGraceMs: e.ROOMWATCH_SHUTDOWN_GRACE_MS,
    metricsToken: e.ROOMWATCH_METRICS_TOKEN,
    smtp: e.ROOMWATCH_SMTP_URL ? { url: e.ROOMWATCH_SMTP_URL, from: e.ROOMWATCH_SMTP_FROM } : undefined,
    security: {
      trustProxy: e.ROOMWATCH_TRUST_PROXY,
      allowedOrigins: e.ROOMWATCH_ALLOWED_ORIGINS,
      sessionIdleMs: e.ROOMWATCH_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: e.ROOMWATCH_SESSION_MAX_HOURS * 3_600_000,
      login: { perUser: e.ROOMWATCH_LOGIN_MAX_FAILURES, perAddress: e.ROOMWATCH_LOGIN_MAX_FAILURES_PER_ADDRESS, windowSeconds: 900 },
    },
  };
}
