import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { createStore } from './store/redis';
import { seedSites } from './sites/sites.seed';

/** What a started server exposes to in-process helpers (the `--demo` simulator). */
export interface Started {
  port: number;
  app: ReturnType<typeof createApp>;
  store: Awaited<ReturnType<typeof createStore>>;
  sites: Config['sites'];
  log: ReturnType<typeof createLogger>;
}

/** Start-up: read config, connect the store, build the app, listen; stop cleanly on SIGTERM. */
export async function main(): Promise<Started> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const store = await createStore(config.redis, log);
  if (store.kind === 'embedded') {
    log.warn('REDIS_URL is not set: using the embedded in-memory store. Data lives only in this process and is lost when it stops.');
  } else {
    log.info({ redis: store.describe, waitReplicas: store.replicas?.replicas ?? 0 }, 'store: redis');
  }
  if (store.kind === 'redis' && !store.isUp()) {
    log.error('Redis is not reachable yet; serving 503 until it is (retrying in the background)');
  }
  // The sites file seeds a fresh store; afterwards the stored configs (edited in Settings) win.
  const sites = await seedSites(store, config.sites).catch((err) => {
    log.error({ err }, 'could not seed sites (will work without)');
    return config.sites;
  });

  const app = createApp({ store, sites, log, settings: config.store, security: config.security, metricsToken: config.metricsToken, push: config.push, publicPage: config.publicPage, ...(config.smtp ? { smtp: config.smtp } : {}) });
  const admin = await app.auth.ensureAdmin(config.adminPassword).catch((err): { generated?: string } => {
    log.error({ err }, 'could not create the admin account (is Redis up?)');
    return {};
  });
  // Hear the live channels before taking requests (bounded: a store that is down must not stop start-up).
  await Promise.race([app.ready().catch(() => undefined), new Promise((ok) => setTimeout(ok, 3_000).unref())]);
  await new Promise<void>((ok) => app.http.listen(config.http.port, config.http.host, ok));
  const addr = app.http.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
  log.info({ port, store: store.kind, sites: config.sites.sites.map((s) => s.id) }, `Roomwatch listening on http://localhost:${port}`);
  if (admin.generated) {
    // Printed once, to the console only (not the structured log), and never again.
    console.log(
      `\n  Sign in at http://localhost:${port}/login as "admin" with the password: ${admin.generated}\n` +
        '  (generated because ROOMWATCH_ADMIN_PASSWORD is unset; it is not shown again — set the variable to reset it)\n',
    );
  } else {
    log.info('Sign in as "admin" with ROOMWATCH_ADMIN_PASSWORD');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      log.warn('shutdown grace period over; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    await app.close();
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return { port, app, store, sites: config.sites, log };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error('Roomwatch failed to start:', err);
    process.exit(1);
  });
}
