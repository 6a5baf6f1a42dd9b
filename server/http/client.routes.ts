import express, { Router } from 'express';

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
  // Client-side routes (/, /sites/…, /wall/…) all load the single page app.
  r.get('/{*path}', (_req, res) => res.setHeader('Cache-Control', 'no-cache').sendFile('index.html', { root: dist }));
  return r;
}
