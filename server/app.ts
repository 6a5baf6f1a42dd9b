import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import compression from 'compression';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import nodemailer from 'nodemailer';
import { AlertRepository } from './alerts/alert.repository';
import { alertRoutes } from './alerts/alert.routes';
import { AlertHistoryService } from './alerts/alertHistory';
import { alertHistoryRoutes } from './alerts/alertHistory.routes';
import { HandoverRepository } from './handovers/handover.repository';
import { handoverRoutes } from './handovers/handover.routes';
import { HandoverService } from './handovers/handover.service';
import { AlertService } from './alerts/alert.service';
import { Notifier, type Mailer } from './alerts/notifier';
import { PushService, type PushTransport } from './alerts/push';
import { DEFAULT_PUSH_SERVICES } from './alerts/pushServices';
import { AuditRepository } from './audit/audit.repository';
import { auditRoutes } from './audit/audit.routes';
import { AuthRepository } from './auth/auth.repository';
import { authRoutes } from './auth/auth.routes';
import { AuthService } from './auth/auth.service';
import { authenticate, type ResolvePrincipal } from './auth/authenticate';
import { LoginLimiter } from './auth/loginLimiter';
import { originAllowed, refuseForeignCookieWrites } from './auth/origin';
import { DEFAULT_SECURITY, DEV_VAPID_SUBJECT, type PushConfig, type SecurityConfig } from './config';
import { listRoutes, type RouteInfo } from './http/routeList';
import { requestLogging } from './http/requestLogging';
import { securityHeaders } from './http/securityHeaders';
import { createMetrics } from './ops/metrics';
import { metricsRoute } from './ops/metrics.routes';
import { errors, toErrorResponse } from './errors';
import { FloorRepository } from './floor/floor.repository';
import { floorRoutes } from './floor/floor.routes';
import { ForecastRepository } from './forecast/forecast.repository';
import { forecastRoutes } from './forecast/forecast.routes';
import { ForecastService } from './forecast/forecast.service';
import { FloorService, type FloorServiceDeps } from './floor/floor.service';
import { healthRoutes } from './http/health.routes';
import { awaitReplicas, idempotentWrites } from './http/idempotency';
import { clientRoutes } from './http/client.routes';
import { HistoryRepository } from './history/history.repository';
import { IncidentRepository } from './incidents/incident.repository';
import { incidentRoutes } from './incidents/incident.routes';
import { IncidentService } from './incidents/incident.service';
import { NetworkRepository } from './network/network.repository';
import { networkRoutes } from './network/network.routes';
import { NetworkService } from './network/network.service';
import { bindNetworkSockets, localNetworkPush } from './network/network.socket';
import { roomRoutes } from './rooms/room.routes';
import { RoomService } from './rooms/room.service';
import { historyRoutes } from './history/history.routes';
import { HistoryService } from './history/history.service';
import { SiteConfigRepository } from './sites/siteConfig.repository';
import { siteConfigRoutes } from './sites/siteConfig.routes';
import { SiteConfigService } from './sites/siteConfig.service';
import { createSiteClocks, type SiteClocks } from './sites/siteClocks';
import { PublicAvailabilityService } from './public/publicAvailability.service';
import { publicRoutes } from './public/public.routes';
import { staffingRoutes } from './staffing/staffing.routes';
import { StaffingService } from './staffing/staffing.service';
import type { Logger } from './logger';
import { createRealtime, type RoomwatchIo } from './realtime/realtime';
import { createFramer, type FrameTiming } from './realtime/frames';
import { onlyUnder } from './http/onlyUnder';
import { startLiveRelay } from './realtime/liveRelay';
import { createDisplayPresence, type DisplayPresence } from './realtime/displayPresence';
import { bindSocketHandlers } from './realtime/socket.handlers';
import { SiteRegistry } from './sites/sites.registry';
import { sitesRoutes } from './sites/sites.routes';
import type { Store } from './store/redis';
import type { SitesFile } from '../shared/siteConfig';

export const CLIENT_DIST = fileURLToPath(new URL('../client/dist', import.meta.url));

export interface AppDeps {
  store: Store;
  sites: SitesFile;
  log: Logger;
  settings: { eventRetention: number; idempotencyTtlMs: number };
  clock?: () => number;
  security?: SecurityConfig;
  /** A bearer token Prometheus may use for /metrics (admins may always read it). */
  metricsToken?: string | undefined;
  /** Alert tick period (default 15 s; 0 = no timer, ticks only through `alerts.tick()`). */
  alertTickMs?: number;
  /** Handover tick period (shift changes; default 15 s; 0 = no timer, only `handovers.tick()`). */
  handoverTickMs?: number;
  /** SMTP for e-mail alert channels; without it e-mail channels report "not configured". */
  smtp?: { url: string; from: string };
  /** Web Push: the VAPID contact and the push services endpoints may point at. */
  push?: PushConfig;
  /** Sends Web Push messages (default: web-push over HTTPS); tests record instead. */
  pushTransport?: PushTransport;
  /** Serve the built client from this folder (skipped when it does not exist). */
  clientDist?: string;
  /** How long a busy site's changes may wait to share a frame (default `DEFAULT_FRAME_TIMING`). */
  frameTiming?: FrameTiming;
  /** Test-only fault injection (e.g. the instance dies between a commit and anything after it). */
  faults?: FloorServiceDeps['faults'];
  /** The public page `/open` and `GET /api/public/availability`: poster address, rate limit, reading period. */
  publicPage?: { baseUrl?: string | undefined; perMinute?: number; refreshMs?: number };
}

export interface App {
  http: HttpServer;
  io: RoomwatchIo;
  floor: FloorService;
  auth: AuthService;
  /** The alert engine (evaluations, tick, acknowledgements). */
  alerts: AlertService;
  /** Shift handovers (scheduled ones through `tick()`). */
  handovers: HandoverService;
  /** What time it is at each site (a demo site may run on a simulated clock). */
  clocks: SiteClocks;
  /** Every API route (method and path), for the access matrix test. */
  routes(): RouteInfo[];
  /** When each wall screen last sent its heartbeat (read by the "wall screen offline" alert). */
  displays: DisplayPresence;
  /** Resolves once this instance hears every site's live changes from the store. */
  ready(): Promise<void>;
  /** Stops accepting, lets in-flight requests finish, closes sockets. Leaves the store open. */
  close(): Promise<void>;
}

/** Wires HTTP + Socket.IO for any store; starting and listening is `index.ts`'s job. */
/** Idle keep-alive of HTTP connections: longer than a proxy's (Caddy keeps them 2 min). */
const KEEP_ALIVE_MS = 125_000;
/** On close, how long requests under way may take before their connections are cut. */
const CLOSE_GRACE_MS = 2_000;

export function createApp(deps: AppDeps): App {
  const { store, log } = deps;
  const sites = new SiteRegistry(deps.sites);
  const security = deps.security ?? DEFAULT_SECURITY;
  const clock = deps.clock ?? Date.now;
  const clocks = createSiteClocks(clock);
  const siteNow = (siteId: string) => clocks.now(siteId);
  const app = express();
  app.set('trust proxy', security.trustProxy);
  const http = createServer(app);
  // Longer than the proxy's idle keep-alive (Caddy: 2 min): a connection the proxy or a client
  // still thinks open must not be closed by us at the same moment (Node's default of 5 s makes
  // that race: the proxy answers 502, an HTTP client reusing the connection sees ECONNRESET).
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  http.headersTimeout = KEEP_ALIVE_MS + 1_000;
  const io: RoomwatchIo = new Server(http, {
    serveClient: false,
    transports: ['websocket', 'polling'],
    // Browsers may open sockets only from our own pages or allow-listed origins.
    allowRequest: (req, done) => done(null, originAllowed(req, security.allowedOrigins)),
  });
  const adapterClients = store.duplicate ? [store.duplicate(), store.duplicate()] : [];
  if (adapterClients.length === 2) io.adapter(createAdapter(adapterClients[0], adapterClients[1]));

  const metrics = createMetrics();
  store.onError((err) => {
    metrics.redisErrors.inc();
    log.debug({ err }, 'redis error');
  });
  const realtime = createRealtime(
    io,
    (channel, message) => store.redis.publish(channel, message).catch((err: unknown) => log.warn({ err }, 'could not publish a live change')),
    adapterClients.length === 2,
  );
  // After an outage or a failover the store may hold less than screens were shown (writes not yet
  // replicated when the primary died): every screen takes a fresh snapshot.
  store.onRecovered(() => {
    log.warn('redis is back (restart or failover): asking every screen to resync');
    for (const s of sites.all()) realtime.siteResync(s.info.id);
  });
  const floor = new FloorService({
    repo: new FloorRepository(store.redis),
    sites,
    realtime,
    clock: siteNow,
    settings: deps.settings,
    replicas: store.replicas,
    observe: (type, outcome) => metrics.commands.inc({ type, outcome }),
    publishLive: true,
    ...(deps.faults ? { faults: deps.faults } : {}),
    // Every applied command re-evaluates its site's alerts (coalesced per site).
    onApplied: (_type, _outcome, siteId) => void alerts.evaluate(siteId),
  });
  // The network of sites: each instance pushes its own screens their network's summary (issue 18).
  const network = new NetworkService({
    repo: new NetworkRepository((siteId) => floor.snapshot(siteId)),
    sites,
    clock: siteNow,
    push: localNetworkPush(io),
    log,
  });
  // Every instance relays every site's changes from Redis to its own screens, in seq order.
  const live = startLiveRelay({
    subscriber: store.subscriber(),
    toChange: (siteId, message) => floor.change(siteId, message.header, message.outcome),
    framer: createFramer(io, {
      ...(deps.frameTiming ? { timing: deps.frameTiming } : {}),
      observe: (seconds, changes) => {
        metrics.fanout.observe(seconds);
        metrics.frameChanges.observe(changes);
      },
    }),
    log,
    onResubscribed: () => {
      log.warn('live relay subscribed again after a drop: asking every screen to resync');
      for (const s of sites.all()) realtime.siteResync(s.info.id);
      network.configChanged();
    },
    heard: (siteId) => network.siteChanged(siteId),
  });
  const forecast = new ForecastService({ repo: new ForecastRepository(store.redis), sites, clock: siteNow });
  const staffing = new StaffingService({ forecast, sites, clock: siteNow });
  const alertRepo = new AlertRepository(store.redis);
  const pushConfig = deps.push ?? { vapidSubject: DEV_VAPID_SUBJECT, services: [...DEFAULT_PUSH_SERVICES] };
  const push: PushService = new PushService({
    repo: alertRepo,
    log,
    subject: pushConfig.vapidSubject,
    services: pushConfig.services,
    // Who may still receive what is asked at every send (declared below; called later).
    standing: (owner) => auth.standing(owner),
    ...(deps.pushTransport ? { transport: deps.pushTransport } : {}),
  });
  const smtp = deps.smtp;
  const mailer: Mailer | null = smtp
    ? (() => {
        const transport = nodemailer.createTransport(smtp.url);
        return { send: async (to, subject, text) => void (await transport.sendMail({ from: smtp.from, to, subject, text })) };
      })()
    : null;
  const alerts: AlertService = new AlertService({
    repo: alertRepo,
    sites,
    floor,
    realtime,
    notifier: new Notifier({ push, mailer, log, clock, note: (siteId, id, entry) => alertRepo.note(siteId, id, entry) }),
    clock: siteNow,
    log,
    forecast: (siteId, date) => forecast.forecast(siteId, date),
    // Called only once evaluations run, after `auth` below exists.
    screenNames: (ids) => auth.screenNames(ids),
    dataGap: (siteId, from, to) => forecast.markGap(siteId, from, to),
    payday: (siteId) => staffing.payday(siteId),
    tickMs: deps.alertTickMs ?? 15_000,
  });
  const audit = new AuditRepository(store.redis);
  const auth: AuthService = new AuthService({
    repo: new AuthRepository(store.redis),
    audit,
    limiter: new LoginLimiter(store, security.login),
    settings: { sessionIdleMs: security.sessionIdleMs, sessionMaxMs: security.sessionMaxMs, pairingTtlMs: 10 * 60_000 },
    clock,
    // Through the adapter, so sockets on every instance go within a second.
    disconnect: (room) => void io.in(room).disconnectSockets(true),
    siteExists: (id) => sites.get(id) !== undefined,
    // A disabled, revoked or re-scoped owner loses its push subscriptions at once (send re-checks too).
    principalChanged: (owner) => push.review(owner).then(() => undefined, (err: unknown) => log.warn({ err }, 'could not review push subscriptions')),
  });
  const alertHistory = new AlertHistoryService({ repo: alertRepo, sites, clock: siteNow });
  const handovers = new HandoverService({
    repo: new HandoverRepository(store.redis),
    sites,
    realtime,
    clock: siteNow,
    log,
    mailer,
    alerts: (siteId, fromMs, toMs) => alertHistory.firingBetween(siteId, fromMs, toMs),
    tickMs: deps.handoverTickMs ?? 15_000,
  });
  const resolve: ResolvePrincipal = (creds) => auth.resolve(creds);
  const history = new HistoryService({ repo: new HistoryRepository(store.redis), sites });
  // The store is the truth for site configs: load them (the caller may have built from the file),
  // and reload a site when another instance saved it.
  const siteConfigs = new SiteConfigService({
    repo: new SiteConfigRepository(store.redis),
    sites,
    // Hours, network or walking minutes may have changed: network followers get fresh summaries.
    realtime: { siteConfigChanged: (change) => (realtime.siteConfigChanged(change), network.configChanged()) },
    audit,
    clock,
    log,
  });
  if (store.isUp()) void siteConfigs.reloadAll();
  io.on('site:configChanged', (siteId) =>
    void siteConfigs
      .reload(siteId)
      .then(() => network.configChanged())
      .catch((err: unknown) => log.warn({ err, siteId }, 'could not reload a site config')),
  );

  app.disable('x-powered-by');
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: { 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null },
      },
      // HSTS only where the request really came over HTTPS (below).
      strictTransportSecurity: false,
    }),
  );
  app.use((req, res, next) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
  // gzip or brotli for text read over HTTP (the client's scripts and styles, snapshots, history);
  // writes answer a few hundred bytes, so the floor's hot path skips it. Socket.IO frames are not HTTP responses.
  const compress = compression({ threshold: 1024 });
  app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? compress(req, res, next) : next()));
  app.use(requestLogging(log));
  app.use(metrics.httpMiddleware);
  app.use(onlyUnder(['/metrics'], metricsRoute(metrics, { token: deps.metricsToken, resolve: (creds) => auth.resolve(creds) })));
  app.use(express.json({ limit: '16kb' }));

  // The public page and API, before /api's session and token lookups: no cookie, no store read per request.
  const publicAvailability = new PublicAvailabilityService({
    sites,
    snapshot: (siteId) => floor.snapshot(siteId),
    clock,
    siteClock: siteNow,
    storeUp: () => store.isUp(),
    log,
    ...(deps.publicPage?.refreshMs !== undefined ? { refreshMs: deps.publicPage.refreshMs } : {}),
  });
  app.use(onlyUnder(['/api/public', '/open'], publicRoutes({ service: publicAvailability, sites, perMinute: deps.publicPage?.perMinute ?? 120, baseUrl: deps.publicPage?.baseUrl })));

  const api = express.Router();
  // Route labels for metrics carry the `/api` prefix (see routeBase).
  api.use(metrics.routeBase());
  api.use(onlyUnder(['/health', '/live'], healthRoutes(store)));
  api.use(refuseForeignCookieWrites(security.allowedOrigins));
  // With ROOMWATCH_REDIS_WAIT_REPLICAS no write is acknowledged before a replica has it.
  api.use(awaitReplicas(store.replicas));
  const authHttp = authRoutes(auth, { sessionMaxMs: security.sessionMaxMs, pairingLimiter: LoginLimiter.pairing(store) });
  // Sign-in and sign-out answer with a fresh session cookie, a secret that is never stored
  // anywhere but the browser; they are the only writes that do not replay an Idempotency-Key.
  api.use(onlyUnder(['/auth'], authHttp.session));
  api.use(authenticate(resolve));
  // Fail fast with 503 while Redis is away instead of waiting on a dead connection.
  api.use((_req, _res, next) => next(store.isUp() ? undefined : errors.unavailable()));
  // The floor's commands first: they are the hot path, and Express tries routes in order. Their
  // Idempotency-Key is handled inside their Lua script, atomically with the change.
  api.use(floorRoutes(floor));
  // Incidents and rooms write through the same floor script, which keeps their Idempotency-Key too.
  api.use(incidentRoutes(new IncidentService({ floor, repo: new IncidentRepository(store.redis), clock: siteNow })));
  api.use(roomRoutes(new RoomService({ floor, audit, clock: siteNow })));
  // Every write route mounted below honours Idempotency-Key (tests/integration/idempotency.test.ts).
  api.use(idempotentWrites({ redis: store.redis, ttlMs: deps.settings.idempotencyTtlMs }));
  api.use(authHttp.open);
  api.use(authHttp.guarded);
  api.use(auditRoutes(audit));
  api.use(sitesRoutes(sites, clocks));
  api.use(forecastRoutes(forecast, sites));
  api.use(staffingRoutes(staffing, sites));
  api.use(alertHistoryRoutes(alertHistory));
  api.use(alertRoutes({ alerts, sites, repo: alertRepo, push, clock: siteNow, audit }));
  api.use(handoverRoutes(handovers, sites, siteNow));
  api.use(historyRoutes(history));
  api.use(networkRoutes(network));
  api.use(siteConfigRoutes(siteConfigs));
  api.use((_req, _res, next) => next(errors.notFound('Route')));
  app.use('/api', api);

  const dist = deps.clientDist ?? CLIENT_DIST;
  if (existsSync(dist)) app.use(clientRoutes(dist));

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500 && status !== 503) req.log.error({ err, reqId: req.id }, 'request failed');
    const retry = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (status === 429 && retry) res.setHeader('Retry-After', String(retry));
    res.status(status).json(body);
  };
  app.use(onError);

  const presence = createDisplayPresence();
  // Heartbeats also go to Redis, so the "wall screen offline" rule sees screens of every instance.
  const displays: DisplayPresence = {
    ...presence,
    seen: (e) => {
      presence.seen(e);
      // Only paired screens (display tokens): a person glancing at /wall on a laptop is not a wall.
      if (io.sockets.sockets.get(e.socketId)?.data.principal?.role === 'display') alerts.displaySeen(e.siteId, e.principalId, e.at);
    },
  };
  if (deps.alertTickMs !== 0) alerts.start();
  handovers.start();
  bindSocketHandlers(io, { floor, resolve, log, displays, clock: siteNow });
  bindNetworkSockets(io, { network, log });
  io.on('connection', (socket) => {
    metrics.sockets.inc();
    socket.on('disconnect', () => metrics.sockets.dec());
  });

  return {
    http,
    io,
    floor,
    auth,
    alerts,
    handovers,
    clocks,
    routes: () => listRoutes(api, '/api'),
    displays,
    ready: () => live.ready,
    close: async () => {
      await alerts.stop();
      network.stop();
      await live.close();
      await handovers.stop();
      await new Promise<void>((done) => {
        // Disconnects every socket, then closes the HTTP server once in-flight requests end.
        // Idle kept-alive connections go now; any connection still open after a short grace (a
        // client that never finishes its request) is cut, so a shutdown never waits KEEP_ALIVE_MS.
        const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
        io.close(() => {
          clearTimeout(cut);
          for (const c of adapterClients) c.disconnect();
          done();
        });
        http.closeIdleConnections();
      });
    },
  };
}
