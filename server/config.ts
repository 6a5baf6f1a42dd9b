import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SitesFile } from '../shared/siteConfig';
import { DEFAULT_PUSH_SERVICES, isLocalContact, PUSH_SERVICE_PATTERN } from './alerts/pushServices';

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
  /** Redis Sentinel instead of REDIS_URL: `host:port,host:port,…` and the monitored master's name. */
  REDIS_SENTINELS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'comma-separated host:port pairs')).min(1).optional()),
  REDIS_SENTINEL_MASTER: z.string().regex(/^[\w.-]+$/, 'the master name the sentinels monitor').optional().or(z.literal('').transform(() => undefined)),
  /** Passwords for the Redis servers and for the sentinels (with Sentinel; REDIS_URL carries its own). */
  REDIS_PASSWORD: z.string().optional().or(z.literal('').transform(() => undefined)),
  REDIS_SENTINEL_PASSWORD: z.string().optional().or(z.literal('').transform(() => undefined)),
  /** Acknowledge a write only once this many replicas have it (Redis WAIT); 0 = do not wait. */
  ROOMWATCH_REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  ROOMWATCH_REDIS_WAIT_TIMEOUT_MS: PositiveInt.max(60_000).default(1_000),
  // Unset or empty: the sample sites shipped with the server.
  ROOMWATCH_SITES: z
    .string()
    .optional()
    .transform((v) => v || DEFAULT_SITES_FILE),
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
  /** The contact push services see in every Web Push request (VAPID `sub`): a mailto: or https: URL. */
  ROOMWATCH_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/, 'a mailto: address or an https: URL, e.g. mailto:it@your-organisation.example')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Push services subscriptions may point at (host, *.domain or host:port), comma-separated. */
  ROOMWATCH_PUSH_SERVICES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : [...DEFAULT_PUSH_SERVICES]))
    .pipe(z.array(z.string().regex(PUSH_SERVICE_PATTERN, 'comma-separated hosts such as fcm.googleapis.com or *.push.apple.com')).min(1)),
  /** The address people reach `/open` at (the poster's QR code), e.g. https://roomwatch.example.org. */
  ROOMWATCH_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'an http(s) URL such as https://roomwatch.example.org' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Requests per minute one address may make to the public page and API (per instance). */
  ROOMWATCH_PUBLIC_RATE_PER_MINUTE: PositiveInt.max(100_000).default(120),
  NODE_ENV: z.string().optional(),
});

/** What development uses when ROOMWATCH_VAPID_SUBJECT is unset (Apple refuses it; production must set a real one). */
export const DEV_VAPID_SUBJECT = 'mailto:roomwatch@localhost';

/** Where the store lives: one Redis (`url`), Redis through Sentinel, or neither (embedded). */
export interface RedisTarget {
  url?: string | undefined;
  sentinels?: Array<{ host: string; port: number }> | undefined;
  sentinelMaster?: string | undefined;
  password?: string | undefined;
  sentinelPassword?: string | undefined;
  /** Replicas that must have a write before it is acknowledged (0 = none). */
  waitReplicas?: number;
  waitTimeoutMs?: number;
}

export interface Config {
  http: { port: number; host: string };
  redis: RedisTarget;
  sites: SitesFile;
  sitesFile: string;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  store: { eventRetention: number; idempotencyTtlMs: number };
  shutdownGraceMs: number;
  security: SecurityConfig;
  metricsToken: string | undefined;
  smtp: { url: string; from: string } | undefined;
  push: PushConfig;
  publicPage: PublicPageConfig;
}

/** The public availability page and API (`/open`, `GET /api/public/availability`). */
export interface PublicPageConfig {
  /** Origin (and optional path) the poster's QR code points at; unset: the request's own origin. */
  baseUrl?: string | undefined;
  /** Requests per minute per client address, per instance. */
  perMinute: number;
}

export interface PushConfig {
  /** VAPID subject: the contact push services see. */
  vapidSubject: string;
  /** Push service hosts a subscription's endpoint must be on. */
  services: string[];
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

/** Combinations of store variables that cannot work together. */
function storeProblems(e: z.infer<typeof Env>): string[] {
  const out: string[] = [];
  if (e.REDIS_URL && e.REDIS_SENTINELS) out.push('REDIS_SENTINELS: set either REDIS_URL or REDIS_SENTINELS, not both');
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_MASTER) out.push('REDIS_SENTINEL_MASTER: required with REDIS_SENTINELS (the name in `sentinel monitor <name> …`)');
  if (e.ROOMWATCH_REDIS_WAIT_REPLICAS > 0 && !e.REDIS_URL && !e.REDIS_SENTINELS)
    out.push('ROOMWATCH_REDIS_WAIT_REPLICAS: needs Redis (REDIS_URL or REDIS_SENTINELS); the embedded store has no replicas');
  return out;
}

/** In production the VAPID contact must be one push services accept (Apple refuses localhost). */
function pushProblems(e: z.infer<typeof Env>): string[] {
  if (e.NODE_ENV !== 'production') return [];
  const fix = 'set a contact push services accept, e.g. mailto:it@your-organisation.example or https://roomwatch.your-organisation.example';
  if (!e.ROOMWATCH_VAPID_SUBJECT) return [`ROOMWATCH_VAPID_SUBJECT: required in production (Web Push to phones): ${fix}`];
  if (isLocalContact(e.ROOMWATCH_VAPID_SUBJECT)) return [`ROOMWATCH_VAPID_SUBJECT: ${e.ROOMWATCH_VAPID_SUBJECT} is a local contact, which Apple's push service refuses (403 BadJwtToken): ${fix}`];
  return [];
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
  if (parsed.success) problems.push(...storeProblems(parsed.data), ...pushProblems(parsed.data));
  const sitesPath = parsed.success ? parsed.data.ROOMWATCH_SITES : env.ROOMWATCH_SITES || DEFAULT_SITES_FILE;
  const sitesResult = readSitesFile(sitesPath);
  problems.push(...sitesResult.problems);
  if (!parsed.success || !sitesResult.sites || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    http: { port: e.PORT, host: e.HOST },
    redis: {
      url: e.REDIS_URL,
      sentinels: e.REDIS_SENTINELS?.map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) })),
      sentinelMaster: e.REDIS_SENTINEL_MASTER,
      password: e.REDIS_PASSWORD,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
      waitReplicas: e.ROOMWATCH_REDIS_WAIT_REPLICAS,
      waitTimeoutMs: e.ROOMWATCH_REDIS_WAIT_TIMEOUT_MS,
    },
    sites: sitesResult.sites,
    sitesFile: sitesPath,
    adminPassword: e.ROOMWATCH_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    store: { eventRetention: e.ROOMWATCH_EVENT_RETENTION, idempotencyTtlMs: e.ROOMWATCH_IDEMPOTENCY_HOURS * 3_600_000 },
    shutdownGraceMs: e.ROOMWATCH_SHUTDOWN_GRACE_MS,
    metricsToken: e.ROOMWATCH_METRICS_TOKEN,
    smtp: e.ROOMWATCH_SMTP_URL ? { url: e.ROOMWATCH_SMTP_URL, from: e.ROOMWATCH_SMTP_FROM } : undefined,
    push: { vapidSubject: e.ROOMWATCH_VAPID_SUBJECT ?? DEV_VAPID_SUBJECT, services: e.ROOMWATCH_PUSH_SERVICES },
    publicPage: { baseUrl: e.ROOMWATCH_PUBLIC_URL?.replace(/\/+$/, ''), perMinute: e.ROOMWATCH_PUBLIC_RATE_PER_MINUTE },
    security: {
      trustProxy: e.ROOMWATCH_TRUST_PROXY,
      allowedOrigins: e.ROOMWATCH_ALLOWED_ORIGINS,
      sessionIdleMs: e.ROOMWATCH_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: e.ROOMWATCH_SESSION_MAX_HOURS * 3_600_000,
      login: { perUser: e.ROOMWATCH_LOGIN_MAX_FAILURES, perAddress: e.ROOMWATCH_LOGIN_MAX_FAILURES_PER_ADDRESS, windowSeconds: 900 },
    },
  };
}
