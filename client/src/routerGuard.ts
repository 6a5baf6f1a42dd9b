import type { Pinia } from 'pinia';
import type { LocationQueryValue, RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import type { Role } from '../../shared/vocabulary';
import { onUnauthorized } from './api';
import { socket } from './socket';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in (the login page; the wall, which brings its own display token). */
    public?: boolean;
    /** The least role that may open the page; others see the "not allowed" page. */
    minRole?: Role;
  }
}

/**
 * Where to go after signing in: only a path inside this app. `//evil.example`, `/\evil`,
 * `https://…` and anything that is not a plain absolute path fall back to `/`.
 */
export function safeNext(next: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // Control characters could smuggle a different target past the checks above.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  try {
    const url = new URL(value, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname === '/login') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

const toLogin = (from: RouteLocationNormalized, ended = false): RouteLocationRaw => ({
  name: 'login',
  query: { ...(from.fullPath === '/' ? {} : { next: from.fullPath }), ...(ended ? { ended: '1' } : {}) },
});

/**
 * Every page needs a signed-in person unless it is marked `public`; `minRole` pages need that
 * role. A 401 on any later call (session ended, account disabled) sends the person to sign in.
 */
export function installRouterGuards(router: Router, pinia: Pinia): void {
  const session = useSessionStore(pinia);

  router.beforeEach(async (to) => {
    if (to.name === 'login') {
      // Already signed in: the login page has nothing to offer.
      const me = await session.load().catch(() => null);
      return me ? safeNext(to.query.next) : true;
    }
    if (to.meta.public) return true;
    let me;
    try {
      me = await session.load();
    } catch {
      // The server cannot say who we are (offline, 503): let the page show its own error.
      return true;
    }
    if (!me) return toLogin(to);
    if (to.meta.minRole && !session.can(to.meta.minRole)) {
      return { name: 'forbidden', query: { from: to.fullPath } };
    }
    return true;
  });

  // The live link refused us (a disabled account, an expired session): ask the server who we
  // are; a 401 there lands in the handler below. Other refusals are the page's to show.
  socket.on('connect_error', (err) => {
    if (err.message === 'unauthenticated' && session.me) void session.load(true).catch(() => undefined);
  });

  onUnauthorized(() => {
    // Only a session that was known to be alive ends here; a first 401 is the guard's to handle.
    if (!session.me) return;
    session.forget();
    const current = router.currentRoute.value;
    if (current.meta.public) return;
    void router.replace(toLogin(current, true));
  });
}
