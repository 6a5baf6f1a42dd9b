import express, { Router } from 'express';
import { pageHtml } from './routePreload';

/** Vite puts only content-hashed files under /assets/ (see client/vite.config.ts): a name never changes meaning. */
const HASHED = /^\/assets\//;

/**
 * The built client: hashed assets cached for a year as `immutable`; everything else (index.html,
 * the service worker, the favicon) revalidated on every load, so a deploy reaches every screen at
 * its next reload. Source maps are never served, even when a build keeps them for the operators.
 */
export function clientRoutes(dist: string): Router {
  const r = Router();
  r.get(/\.map$/, (_req, res) => void res.status(404).end());
  r.use(
    express.static(dist, {
      index: false,
      setHeaders: (res) => {
        const url = (res.req as express.Request).path;
        res.setHeader('Cache-Control', HASHED.test(url) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // Client-side routes (/, /sites/…, /wall/…) all load the single page app; the floor pages
  // name their own code in it, so a phone fetches it beside the app's (routePreload.ts).
  const html = pageHtml(dist);
  r.get('/{*path}', (req, res, next) => {
    let page: string;
    try {
      page = html(req.path);
    } catch (e) {
      // No index.html (a build under way or a broken deploy): Express answers as for any error.
      return next(e);
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  });
  return r;
}
