import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { authenticate, openDoorResolver, type ResolvePrincipal } from './auth/authenticate';
import { errors, toErrorResponse } from './errors';
import { FloorRepository } from './floor/floor.repository';
import { floorRoutes } from './floor/floor.routes';
import { FloorService } from './floor/floor.service';
import { healthRoutes } from './http/health.routes';
import type { Logger } from './logger';
import { createRealtime, type RoomwatchIo } from './realtime/realtime';
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
  resolvePrincipal?: ResolvePrincipal;
  /** Serve the built client from this folder (skipped when it does not exist). */
  clientDist?: string;
}

export interface App {
  http: HttpServer;
  io: RoomwatchIo;
  floor: FloorService;
  /** Stops accepting, lets in-flight requests finish, closes sockets. Leaves the store open. */
  close(): Promise<void>;
}

/** Wires HTTP + Socket.IO for any store; starting and listening is `index.ts`'s job. */
export function createApp(deps: AppDeps): App {
  const { store, log } = deps;
  const sites = new SiteRegistry(deps.sites);
  const resolve = deps.resolvePrincipal ?? openDoorResolver;
  const app = express();
  const http = createServer(app);
  const io: RoomwatchIo = new Server(http, { serveClient: false, transports: ['websocket', 'polling'] });
  const adapterClients = store.duplicate ? [store.duplicate(), store.duplicate()] : [];
  if (adapterClients.length === 2) io.adapter(createAdapter(adapterClients[0], adapterClients[1]));

  const floor = new FloorService({
    repo: new FloorRepository(store.redis),
    sites,
    realtime: createRealtime(io),
    clock: deps.clock ?? Date.now,
    settings: deps.settings,
  });

  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  app.use(pinoHttp({ logger: log, autoLogging: { ignore: (req) => req.url === '/api/health' || req.url === '/api/live' } }));
  app.use(express.json({ limit: '16kb' }));

  const api = express.Router();
  api.use(healthRoutes(store));
  api.use(authenticate(resolve));
  // Fail fast with 503 while Redis is away instead of waiting on a dead connection.
  api.use((_req, _res, next) => next(store.isUp() ? undefined : errors.unavailable()));
  api.use(sitesRoutes(sites));
  api.use(floorRoutes(floor));
  api.use((_req, _res, next) => next(errors.notFound('Route')));
  app.use('/api', api);

  const dist = deps.clientDist ?? CLIENT_DIST;
  if (existsSync(dist)) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // Client-side routes (/, /sites/…, /wall/…) all load the single page app.
    app.get('/{*path}', (_req, res) => res.sendFile('index.html', { root: dist, maxAge: 0 }));
  }

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500 && status !== 503) req.log.error({ err }, 'request failed');
    res.status(status).json(body);
  };
  app.use(onError);

  bindSocketHandlers(io, { floor, resolve, log });

  return {
    http,
    io,
    floor,
    close: () =>
      new Promise<void>((done) => {
        // Disconnects every socket, then closes the HTTP server once in-flight requests end.
        io.close(() => {
          for (const c of adapterClients) c.disconnect();
          done();
        });
        http.closeIdleConnections();
      }),
  };
}
