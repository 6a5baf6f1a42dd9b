import { Router, type CookieOptions, type Request } from 'express';
import { CreateTokenBody, CreateUserBody, LoginBody, PairingClaimBody, PatchUserBody } from '../../shared/auth';
import type { Me } from '../../shared/api';
import { createError } from '../errors';
import { parseOr400 } from '../http/validate';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { SESSION_COOKIE, credentialsOf } from './authenticate';
import type { Actor, AuthService } from './auth.service';
import { authorize } from './policy';

const actorOf = (req: Request, action: Parameters<typeof authorize>[1], siteId?: string): Actor => ({
  principal: authorize(req.principal, action, siteId),
  from: req.ip ?? '',
});

/**
 * Sign-in, users, tokens and wall pairing: the HTTP surface of `AuthService`. `session` (sign in
 * and out) and `open` (pairing) need no signed-in caller; `guarded` routes check the caller.
 */
export function authRoutes(auth: AuthService, opts: { sessionMaxMs: number; pairingLimiter: RateLimiterAbstract }): { session: Router; open: Router; guarded: Router } {
  const session = Router();
  const open = Router();
  const guarded = Router();
  const cookie = (req: Request): CookieOptions => ({
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure, // HTTPS (directly or via a trusted proxy)
    path: '/',
  });

  session.post('/auth/login', async (req, res) => {
    const body = parseOr400(LoginBody, req.body);
    const old = credentialsOf(req.headers).sid;
    if (old) await auth.logout(old, req.ip ?? '');
    const { sid, user } = await auth.login(body.username, body.password, req.ip ?? '');
    res.cookie(SESSION_COOKIE, sid, { ...cookie(req), maxAge: opts.sessionMaxMs });
    const me: Me = { username: user.username, displayName: user.displayName, role: user.role, sites: user.sites };
    res.json(me);
  });

  session.post('/auth/logout', async (req, res) => {
    const sid = credentialsOf(req.headers).sid;
    if (sid) await auth.logout(sid, req.ip ?? '');
    res.clearCookie(SESSION_COOKIE, cookie(req));
    res.json({ ok: true });
  });

  // A wall screen without a token asks for a code to show, then polls with its secret.
  open.post('/pairing', async (req, res) => {
    await opts.pairingLimiter.consume(req.ip ?? '').catch(() => {
      throw createError('rate_limited', 'Too many pairing requests; try again later', 429, { retryAfterSeconds: 600 });
    });
    res.status(201).json(await auth.startPairing());
  });
  open.get('/pairing/:secret', async (req, res) => {
    res.json(await auth.pairingStatus(String(req.params.secret).slice(0, 100)));
  });

  guarded.get('/me', async (req, res) => {
    const p = authorize(req.principal, 'site:read');
    const user = await auth.me(p);
    const me: Me = user
      ? { username: user.username, displayName: user.displayName, role: user.role, sites: user.sites }
      : { username: `token:${p.id}`, displayName: p.displayName ?? p.id, role: p.role, sites: p.sites };
    res.json(me);
  });

  guarded.post('/pairing/claim', async (req, res) => {
    const body = parseOr400(PairingClaimBody, req.body);
    const actor = actorOf(req, 'display:pair', body.siteId);
    res.status(201).json(await auth.claimPairing(actor, body));
  });

  guarded.get('/users', async (req, res) => {
    actorOf(req, 'admin');
    res.json(await auth.listUsers());
  });
  guarded.post('/users', async (req, res) => {
    const actor = actorOf(req, 'admin');
    res.status(201).json(await auth.createUser(actor, parseOr400(CreateUserBody, req.body)));
  });
  guarded.patch('/users/:username', async (req, res) => {
    const actor = actorOf(req, 'admin');
    res.json(await auth.patchUser(actor, String(req.params.username), parseOr400(PatchUserBody, req.body)));
  });

  // Leads may list, issue and revoke display tokens of their sites; the service checks scope.
  guarded.get('/tokens', async (req, res) => {
    const actor = actorOf(req, 'display:pair');
    res.json(await auth.listTokens(actor.principal));
  });
  guarded.post('/tokens', async (req, res) => {
    const actor = actorOf(req, 'display:pair');
    res.status(201).json(await auth.createToken(actor, parseOr400(CreateTokenBody, req.body)));
  });
  guarded.delete('/tokens/:id', async (req, res) => {
    const actor = actorOf(req, 'display:pair');
    await auth.revokeToken(actor, String(req.params.id));
    res.status(204).send();
  });

  return { session, open, guarded };
}
