import { Router, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { createError, errors, toErrorResponse } from '../errors';
import type { SiteRegistry } from '../sites/sites.registry';
import { esc, OPEN_CSS_HASH, pageShell, renderOpenPage } from './openPage';
import { POSTER_CSS, POSTER_CSS_HASH, renderPoster } from './poster';
import { etagOf, type PublicAvailabilityService } from './publicAvailability.service';
import { pickLang, PUBLIC_WORDS, type PublicLang } from './publicWords';

/*
 * The public, signed-out face of Roomwatch: `/open`, `/open/poster/:siteId` and
 * `GET /api/public/availability`. Mounted before the API's session and token middleware, so a
 * request here never reads a session from the store and never gets a cookie; every answer comes
 * from the service's in-memory reading; the rate limit is counted in memory too (per instance),
 * so no request rate reaches Redis.
 */

export interface PublicRoutesOptions {
  service: PublicAvailabilityService;
  sites: SiteRegistry;
  /** Requests per minute per address (per instance). */
  perMinute: number;
  /** The address of `/open` on the poster (`ROOMWATCH_PUBLIC_URL`); unset: the request's own origin. */
  baseUrl?: string | undefined;
}

/** Seconds browsers and proxies may keep the live answers, and the poster. */
export const PUBLIC_MAX_AGE_SECONDS = 10;
export const POSTER_MAX_AGE_SECONDS = 300;
/** The page reloads itself this often when the reader asks it to (`?auto=1`; no script). */
export const OPEN_REFRESH_SECONDS = 60;

const csp = (styleSrc: string[] | null): RequestHandler =>
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      ...(styleSrc ? { 'style-src': styleSrc, 'img-src': ["'self'", 'data:'] } : {}),
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    },
  });

/**
 * The rate-limit key of an address: an IPv4 address as it is, an IPv6 address by its /64 (one
 * subscriber's network), so a client cannot dodge the limit by walking its own prefix.
 */
export function addressKey(ip: string | undefined): string {
  const a = (ip ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function send(res: Response, type: string, body: string, etag: string, maxAge: number): void {
  res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
  res.setHeader('ETag', etag);
  res.type(type);
  // Express answers 304 when If-None-Match matches the ETag set above.
  res.send(body);
}

export function publicRoutes(o: PublicRoutesOptions): Router {
  const r = Router();
  const limiter = new RateLimiterMemory({ keyPrefix: 'public', points: o.perMinute, duration: 60 });

  const langOf = (req: Request, res: Response): PublicLang => {
    if (typeof req.query.lang !== 'string') res.vary('Accept-Language');
    return pickLang(req.query.lang, req.get('accept-language'));
  };

  const limit: RequestHandler = (req, res, next) => {
    limiter.consume(addressKey(req.ip)).then(
      () => next(),
      (rej: unknown) => {
        if (!(rej instanceof RateLimiterRes)) return next(rej);
        const retry = Math.max(1, Math.ceil(rej.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retry));
        res.setHeader('Cache-Control', 'no-store');
        if (req.baseUrl.startsWith('/api/')) {
          const { status, body } = toErrorResponse(createError('rate_limited', 'Too many requests; try again later', 429, { retryAfterSeconds: retry }));
          res.status(status).json(body);
          return;
        }
        const lang = langOf(req, res);
        res.status(429).type('html').send(renderOpenPage({ lang, at: Date.now(), timeZone: 'Europe/Copenhagen', sites: [], problem: 'tooMany', refreshSeconds: retry }));
      },
    );
  };
  r.use(['/api/public', '/open'], limit);

  r.get('/api/public/availability', csp(null), async (_req, res, next) => {
    try {
      const view = await o.service.view();
      // Bands and opening hours only, no credentials: any outreach app may read it from a browser.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      send(res, 'json', view.json, view.etag, PUBLIC_MAX_AGE_SECONDS);
    } catch (err) {
      next(err);
    }
  });
  // Nothing else lives under /api/public: answer here, before the API's session lookup.
  r.all('/api/public/{*rest}', (_req, _res, next) => next(errors.notFound('Route')));

  r.get('/open', csp([OPEN_CSS_HASH]), async (req, res) => {
    const lang = langOf(req, res);
    const auto = req.query.auto === '1';
    try {
      const view = await o.service.view();
      const page = o.service.rendered(view, `open:${lang}:${auto}`, () =>
        renderOpenPage({ lang, auto, at: view.at, timeZone: view.sites[0]?.timeZone ?? 'Europe/Copenhagen', sites: view.sites, refreshSeconds: OPEN_REFRESH_SECONDS }),
      );
      send(res, 'html', page.body, page.etag, PUBLIC_MAX_AGE_SECONDS);
    } catch (err) {
      const { status } = toErrorResponse(err);
      if (status >= 500 && status !== 503) req.log?.error({ err }, 'public page failed');
      res.setHeader('Cache-Control', 'no-store');
      res.status(status === 503 ? 503 : 500).type('html').send(renderOpenPage({ lang, at: Date.now(), timeZone: 'Europe/Copenhagen', sites: [], problem: 'unavailable', auto, refreshSeconds: OPEN_REFRESH_SECONDS }));
    }
  });

  r.get('/open/poster/:siteId', csp([POSTER_CSS_HASH]), async (req, res, next) => {
    const lang = langOf(req, res);
    const entry = o.sites.get(String(req.params.siteId));
    // A site that did not opt in has no poster: the same 404 as a site that does not exist.
    if (!entry?.config.public) {
      const w = PUBLIC_WORDS[lang];
      res.status(404).type('html').send(pageShell(lang, w.title, `<main class="poster"><h1>404</h1><p><a href="/open?lang=${lang}">${esc(w.title)}</a></p></main>`, { css: POSTER_CSS }));
      return;
    }
    try {
      const base = o.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      const html = await renderPoster(entry.info, lang, `${base}/open`);
      send(res, 'html', html, etagOf(html), POSTER_MAX_AGE_SECONDS);
    } catch (err) {
      next(err);
    }
  });
  // Anything else under /open is not a page (and not the single page app's either).
  r.all('/open/{*rest}', (_req, res) => void res.status(404).type('text').send('Not found'));
  return r;
}
