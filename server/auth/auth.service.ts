import { hash as digest, randomBytes, randomInt } from 'node:crypto';
import type { CreateTokenBody, CreateUserBody, CreatedToken, PairingClaimBody, PairingStarted, PatchUserBody, SiteScope, TokenInfo, UserInfo } from '../../shared/auth';
import { roleAtLeast } from '../../shared/vocabulary';
import type { AuditRepository } from '../audit/audit.repository';
import { createError, errors } from '../errors';
import type { AuthRepository, StoredUser } from './auth.repository';
import { DUMMY_HASH_PROMISE, generatePassword, hashPassword, verifyPassword } from './passwords';
import type { LoginLimiter } from './loginLimiter';
import { canSeeSite } from './policy';
import type { Principal } from './principal';

export interface AuthSettings {
  sessionIdleMs: number;
  sessionMaxMs: number;
  pairingTtlMs: number;
}

export interface AuthServiceDeps {
  repo: AuthRepository;
  audit: AuditRepository;
  limiter: LoginLimiter;
  settings: AuthSettings;
  clock: () => number;
  /** Disconnects live sockets in a revocation room (see `revocationRooms`). */
  disconnect: (room: string) => void;
  siteExists: (siteId: string) => boolean;
  /** Told when a person or token was disabled, deleted, or changed role or sites (push subscriptions). */
  principalChanged?: (p: { kind: 'user' | 'token'; id: string }) => Promise<void>;
}

/** Who asked, from where: for authorisation checks and the audit log. */
export interface Actor {
  principal: Principal;
  from: string;
}

const TOKEN_CACHE_MS = 1_000;
const sha = (s: string) => digest('sha256', s, 'base64url');
const TOKEN_PREFIX = { api: 'rwk', display: 'rwd' } as const;
// No 0/O, 1/I: a code read off a TV across a room must not be misread.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const publicUser = ({ passwordHash: _h, ...u }: StoredUser): UserInfo => u;

function scopeWithin(inner: SiteScope, outer: SiteScope): boolean {
  if (outer === '*') return true;
  return inner !== '*' && inner.every((s) => outer.includes(s));
}

/** Accounts, sessions, tokens and wall pairing. No HTTP here. */
export class AuthService {
  constructor(private readonly d: AuthServiceDeps) {}

  private now() {
    return this.d.clock();
  }

  private audit(actor: Actor | { id: string; from: string }, action: string, target: string, detail = '') {
    const who = 'principal' in actor ? `${actor.principal.kind === 'token' ? 'token:' : ''}${actor.principal.id}` : actor.id;
    return this.d.audit.append({ actor: who, action, target, from: 'principal' in actor ? actor.from : actor.from, detail });
  }

  // ---- start-up ----------------------------------------------------------------------------

  /**
   * Creates or resets the `admin` account from `ROOMWATCH_ADMIN_PASSWORD`. Without it, a first
   * start creates the account with a random password and returns it (to be printed once).
   */
  async ensureAdmin(password: string | undefined): Promise<{ generated?: string }> {
    const existing = await this.d.repo.getUser('admin');
    if (password) {
      const passwordHash = await hashPassword(password);
      if (existing) await this.d.repo.updateUser('admin', { passwordHash, disabled: false, role: 'admin', sites: '*' });
      else await this.d.repo.createUser({ username: 'admin', displayName: 'Administrator', role: 'admin', sites: '*', disabled: false, createdAt: new Date(this.now()).toISOString(), passwordHash });
      return {};
    }
    if (existing) return {};
    const generated = generatePassword();
    await this.d.repo.createUser({ username: 'admin', displayName: 'Administrator', role: 'admin', sites: '*', disabled: false, createdAt: new Date(this.now()).toISOString(), passwordHash: await hashPassword(generated) });
    return { generated };
  }

  // ---- sign-in -----------------------------------------------------------------------------

  /** Checks the password; returns a new session id (rotated at every login). */
  async login(username: string, password: string, from: string): Promise<{ sid: string; user: UserInfo }> {
    const name = username.trim().toLowerCase();
    await this.d.limiter.check(name, from);
    const user = await this.d.repo.getUser(name);
    // Verify against a dummy hash for unknown users so response time does not reveal them.
    const ok = await verifyPassword(password, user?.passwordHash || (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.disabled) {
      await this.d.limiter.failed(name, from);
      await this.audit({ id: name, from }, 'login.failed', name);
      throw createError('unauthenticated', 'Wrong username or password', 401);
    }
    await this.d.limiter.succeeded(name);
    const sid = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.d.repo.createSession(sha(sid), { username: name, createdAt: now, lastSeenAt: now }, this.d.settings.sessionIdleMs);
    await this.audit({ id: name, from }, 'login', name);
    return { sid, user: publicUser(user) };
  }

  async logout(sid: string, from: string): Promise<void> {
    const hash = sha(sid);
    const s = await this.d.repo.getSession(hash);
    if (!s) return;
    await this.d.repo.deleteSession(hash, s.username);
    this.d.disconnect(`auth:session:${hash}`);
    await this.audit({ id: s.username, from }, 'logout', s.username);
  }

  /** Resolves a session cookie or a bearer token to a principal; undefined when neither is valid. */
  async resolve(creds: { sid?: string | undefined; bearer?: string | undefined }): Promise<Principal | undefined> {
    if (creds.bearer) return this.resolveToken(creds.bearer);
    if (creds.sid) return this.resolveSession(creds.sid);
    return undefined;
  }

  private async resolveSession(sid: string): Promise<Principal | undefined> {
    const hash = sha(sid);
    const s = await this.d.repo.getSession(hash);
    if (!s) return undefined;
    const now = this.now();
    if (now - s.createdAt > this.d.settings.sessionMaxMs) {
      await this.d.repo.deleteSession(hash, s.username);
      return undefined;
    }
    const user = await this.d.repo.getUser(s.username);
    if (!user || user.disabled) return undefined;
    // Sliding idle timeout; written at most once a minute to keep reads cheap.
    if (now - s.lastSeenAt > 60_000) await this.d.repo.touchSession(hash, now, this.d.settings.sessionIdleMs);
    return { kind: 'user', id: user.username, role: user.role, sites: user.sites, displayName: user.displayName, sessionHash: hash };
  }

  private async resolveToken(token: string): Promise<Principal | undefined> {
    if (token.length > 200) return undefined;
    const hash = sha(token);
    const now = this.now();
    // A busy integration sends many commands a second: remember a token for one second, so
    // a command costs one Redis round trip, not two. Revocation clears this instance's entry at
    // once (and drops sockets everywhere); other instances stop accepting it within a second.
    const cached = this.tokenCache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const t = await this.d.repo.getTokenBySecretHash(hash);
    if (!t) return undefined;
    if (!t.lastUsedAt || now - Date.parse(t.lastUsedAt) > 60_000) await this.d.repo.markTokenUsed(hash, new Date(now).toISOString());
    const principal: Principal = { kind: 'token', id: t.id, role: t.role, sites: t.sites, displayName: t.name };
    if (this.tokenCache.size > 10_000) this.tokenCache.clear();
    this.tokenCache.set(hash, { principal, until: now + TOKEN_CACHE_MS });
    return principal;
  }

  private readonly tokenCache = new Map<string, { principal: Principal; until: number }>();

  /** A person's or token's role and sites now; null when disabled, revoked or gone. */
  async standing(p: { kind: 'user' | 'token'; id: string }): Promise<{ role: UserInfo['role']; sites: SiteScope } | null> {
    if (p.kind === 'user') {
      const u = await this.d.repo.getUser(p.id);
      return u && !u.disabled ? { role: u.role, sites: u.sites } : null;
    }
    const t = await this.d.repo.getTokenById(p.id);
    return t ? { role: t.role, sites: t.sites } : null;
  }

  async me(p: Principal): Promise<UserInfo | null> {
    if (p.kind !== 'user') return null;
    const u = await this.d.repo.getUser(p.id);
    return u ? publicUser(u) : null;
  }

  // ---- users (admins) ----------------------------------------------------------------------

  async listUsers(): Promise<UserInfo[]> {
    return (await this.d.repo.listUsers()).map(publicUser);
  }

  private checkSites(sites: SiteScope) {
    if (sites === '*') return;
    const unknown = sites.filter((s) => !this.d.siteExists(s));
    if (unknown.length) throw errors.invalid([{ path: 'sites', message: `unknown site ${unknown.join(', ')}` }], 'Invalid body: sites');
  }

  async createUser(actor: Actor, body: CreateUserBody): Promise<UserInfo> {
    this.checkSites(body.sites);
    const user: StoredUser = {
      username: body.username,
      displayName: body.displayName ?? body.username,
      role: body.role,
      sites: body.sites,
      disabled: false,
      createdAt: new Date(this.now()).toISOString(),
      passwordHash: await hashPassword(body.password),
    };
    if (!(await this.d.repo.createUser(user))) throw createError('conflict', 'That username is taken', 409, { current: { username: body.username } });
    await this.audit(actor, 'user.create', body.username, `role=${body.role} sites=${body.sites === '*' ? '*' : body.sites.join(',')}`);
    return publicUser(user);
  }

  async patchUser(actor: Actor, username: string, patch: PatchUserBody): Promise<UserInfo> {
    const user = await this.d.repo.getUser(username);
    if (!user) throw errors.notFound('User');
    if (patch.sites) this.checkSites(patch.sites);
    if (username === actor.principal.id && (patch.disabled || (patch.role && patch.role !== 'admin'))) {
      throw createError('conflict', 'You cannot disable or demote your own account', 409, { current: publicUser(user) });
    }
    const { password, ...rest } = patch;
    await this.d.repo.updateUser(username, { ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}) });
    // A disabled account or a reset password ends every session.
    if (patch.disabled || password) await this.d.repo.deleteUserSessions(username);
    // Live sockets hold the principal of their handshake: drop them so they reconnect with the
    // new role and sites (or, disabled, not at all).
    this.d.disconnect(`auth:user:${username}`);
    await this.d.principalChanged?.({ kind: 'user', id: username });
    const changed = Object.keys(patch).map((k) => (k === 'password' ? 'password' : `${k}=${JSON.stringify((patch as Record<string, unknown>)[k])}`));
    await this.audit(actor, 'user.update', username, changed.join(' '));
    return publicUser((await this.d.repo.getUser(username))!);
  }

  // ---- tokens ------------------------------------------------------------------------------

  /** Admins may issue anything; leads and managers only display tokens for their own sites. */
  private mayManage(p: Principal, t: { kind: string; sites: SiteScope }): boolean {
    if (p.role === 'admin') return true;
    return roleAtLeast(p.role, 'lead') && t.kind === 'display' && scopeWithin(t.sites, p.sites);
  }

  async createToken(actor: Actor, body: CreateTokenBody): Promise<CreatedToken> {
    this.checkSites(body.sites);
    const role = body.kind === 'display' ? 'display' : (body.role ?? 'staff');
    if (!this.mayManage(actor.principal, body) || !roleAtLeast(actor.principal.role, role)) {
      throw createError('forbidden', 'You may not issue this token', 403);
    }
    const id = randomBytes(6).toString('hex');
    const token = `${TOKEN_PREFIX[body.kind]}_${randomBytes(32).toString('base64url')}`; // 256 random bits
    const info: TokenInfo = {
      id,
      kind: body.kind,
      name: body.name,
      role,
      sites: body.sites,
      createdBy: actor.principal.id,
      createdAt: new Date(this.now()).toISOString(),
      lastUsedAt: null,
    };
    await this.d.repo.createToken(sha(token), info);
    await this.audit(actor, 'token.create', id, `${body.kind} "${body.name}" role=${role} sites=${body.sites === '*' ? '*' : body.sites.join(',')}`);
    return { id, token, info };
  }

  async listTokens(p: Principal): Promise<TokenInfo[]> {
    return (await this.d.repo.listTokens()).filter((t) => this.mayManage(p, t));
  }

  /** Names of wall screens (display tokens) that still exist, by token id. */
  screenNames(ids: readonly string[]): Promise<Map<string, string>> {
    return this.d.repo.tokenNames(ids);
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    const t = (await this.d.repo.listTokens()).find((x) => x.id === id);
    if (!t || !this.mayManage(actor.principal, t)) throw errors.notFound('Token');
    await this.d.repo.deleteToken(id);
    for (const [hash, entry] of this.tokenCache) if (entry.principal.id === id) this.tokenCache.delete(hash);
    this.d.disconnect(`auth:token:${id}`);
    await this.d.principalChanged?.({ kind: 'token', id });
    await this.audit(actor, 'token.revoke', id, `${t.kind} "${t.name}"`);
  }

  // ---- pairing a wall screen ---------------------------------------------------------------

  async startPairing(): Promise<PairingStarted> {
    const secret = randomBytes(24).toString('base64url');
    for (let attempt = 0; attempt < 10; attempt++) {
      const raw = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      const code = `${raw.slice(0, 3)}-${raw.slice(3)}`;
      if (await this.d.repo.startPairing(raw, sha(secret), this.d.settings.pairingTtlMs)) {
        return { code, secret, expiresAt: new Date(this.now() + this.d.settings.pairingTtlMs).toISOString() };
      }
    }
    throw createError('internal', 'Could not allocate a pairing code', 500);
  }

  async pairingStatus(secret: string) {
    const status = await this.d.repo.takePairing(sha(secret));
    if (!status) throw errors.notFound('Pairing');
    return status;
  }

  /** A lead enters the code shown on the TV and picks the site: the screen gets a display token. */
  async claimPairing(actor: Actor, body: PairingClaimBody): Promise<{ tokenId: string; siteId: string }> {
    if (!this.d.siteExists(body.siteId) || !canSeeSite(actor.principal, body.siteId)) throw errors.notFound('Site');
    const code = body.code.replace('-', '');
    const secretHash = await this.d.repo.pairingSecretHashOf(code);
    if (!secretHash) throw errors.invalid([{ path: 'code', message: 'unknown or expired code' }], 'Invalid body: code');
    const created = await this.createToken(actor, { kind: 'display', name: body.name, sites: [body.siteId] });
    await this.d.repo.completePairing(code, secretHash, body.siteId, created.token, this.d.settings.pairingTtlMs);
    await this.audit(actor, 'display.pair', created.id, `site=${body.siteId}`);
    return { tokenId: created.id, siteId: body.siteId };
  }
}
