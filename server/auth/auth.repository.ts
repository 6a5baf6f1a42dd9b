import type { Redis } from 'ioredis';
import type { SiteScope, TokenInfo, TokenKind, UserInfo } from '../../shared/auth';
import type { Role } from '../../shared/vocabulary';
import { authKeys as K } from './auth.keys';

export interface StoredUser extends UserInfo {
  passwordHash: string;
}

export interface StoredSession {
  username: string;
  createdAt: number;
  lastSeenAt: number;
}

const encodeSites = (s: SiteScope) => (s === '*' ? '*' : s.join(','));
const decodeSites = (s: string | undefined): SiteScope => (!s || s === '*' ? '*' : s.split(',').filter(Boolean));

/** All Redis I/O for accounts, sessions, tokens and pairing. */
export class AuthRepository {
  constructor(private readonly redis: Redis) {}

  // ---- users -------------------------------------------------------------------------------

  async getUser(username: string): Promise<StoredUser | null> {
    const f = await this.redis.hgetall(K.user(username));
    if (!f.username) return null;
    return {
      username: f.username,
      displayName: f.displayName ?? f.username,
      role: f.role as Role,
      sites: decodeSites(f.sites),
      disabled: f.disabled === '1',
      createdAt: f.createdAt ?? new Date(0).toISOString(),
      passwordHash: f.passwordHash ?? '',
    };
  }

  /** Creates the user only if the name is free; returns false when taken. */
  async createUser(u: StoredUser): Promise<boolean> {
    const created = await this.redis.hsetnx(K.user(u.username), 'username', u.username);
    if (!created) return false;
    await this.redis
      .multi()
      .hset(K.user(u.username), {
        displayName: u.displayName,
        role: u.role,
        sites: encodeSites(u.sites),
        disabled: u.disabled ? '1' : '0',
        createdAt: u.createdAt,
        passwordHash: u.passwordHash,
      })
      .sadd(K.users(), u.username)
      .exec();
    return true;
  }

  async updateUser(username: string, patch: Partial<Omit<StoredUser, 'username' | 'createdAt'>>): Promise<void> {
    const fields: Record<string, string> = {};
    if (patch.displayName !== undefined) fields.displayName = patch.displayName;
    if (patch.role !== undefined) fields.role = patch.role;
    if (patch.sites !== undefined) fields.sites = encodeSites(patch.sites);
    if (patch.disabled !== undefined) fields.disabled = patch.disabled ? '1' : '0';
    if (patch.passwordHash !== undefined) fields.passwordHash = patch.passwordHash;
    if (Object.keys(fields).length) await this.redis.hset(K.user(username), fields);
  }

  async listUsers(): Promise<StoredUser[]> {
    const names = (await this.redis.smembers(K.users())).sort();
    const users = await Promise.all(names.map((n) => this.getUser(n)));
    return users.filter((u): u is StoredUser => u !== null);
  }

  // ---- sessions ----------------------------------------------------------------------------

  async createSession(sidHash: string, s: StoredSession, idleMs: number): Promise<void> {
    await this.redis
      .multi()
      .hset(K.session(sidHash), { username: s.username, createdAt: String(s.createdAt), lastSeenAt: String(s.lastSeenAt) })
      .pexpire(K.session(sidHash), idleMs)
      .sadd(K.userSessions(s.username), sidHash)
      .exec();
  }

  async getSession(sidHash: string): Promise<StoredSession | null> {
    const f = await this.redis.hgetall(K.session(sidHash));
    if (!f.username) return null;
    return { username: f.username, createdAt: Number(f.createdAt), lastSeenAt: Number(f.lastSeenAt) };
  }

  async touchSession(sidHash: string, now: number, idleMs: number): Promise<void> {
    await this.redis.multi().hset(K.session(sidHash), 'lastSeenAt', String(now)).pexpire(K.session(sidHash), idleMs).exec();
  }

  async deleteSession(sidHash: string, username?: string): Promise<void> {
    const m = this.redis.multi().del(K.session(sidHash));
    if (username) m.srem(K.userSessions(username), sidHash);
    await m.exec();
  }

  /** Ends every session of a user (disabled, password reset, role change). */
  async deleteUserSessions(username: string): Promise<void> {
    const sids = await this.redis.smembers(K.userSessions(username));
    const m = this.redis.multi();
    for (const s of sids) m.del(K.session(s));
    m.del(K.userSessions(username));
    await m.exec();
  }

  // ---- tokens ------------------------------------------------------------------------------

  async createToken(secretHash: string, t: TokenInfo): Promise<void> {
    await this.redis
      .multi()
      .hset(K.token(secretHash), {
        id: t.id,
        kind: t.kind,
        name: t.name,
        role: t.role,
        sites: encodeSites(t.sites),
        createdBy: t.createdBy,
        createdAt: t.createdAt,
        lastUsedAt: '',
      })
      .hset(K.tokens(), t.id, secretHash)
      .exec();
  }

  async getTokenBySecretHash(secretHash: string): Promise<TokenInfo | null> {
    const f = await this.redis.hgetall(K.token(secretHash));
    if (!f.id) return null;
    return {
      id: f.id,
      kind: f.kind as TokenKind,
      name: f.name ?? '',
      role: f.role as Role,
      sites: decodeSites(f.sites),
      createdBy: f.createdBy ?? '',
      createdAt: f.createdAt ?? '',
      lastUsedAt: f.lastUsedAt || null,
    };
  }

  async getTokenById(id: string): Promise<TokenInfo | null> {
    const secretHash = await this.redis.hget(K.tokens(), id);
    return secretHash ? this.getTokenBySecretHash(secretHash) : null;
  }

  async markTokenUsed(secretHash: string, at: string): Promise<void> {
    await this.redis.hset(K.token(secretHash), 'lastUsedAt', at);
  }

  async listTokens(): Promise<TokenInfo[]> {
    const hashes = Object.values(await this.redis.hgetall(K.tokens()));
    const tokens = await Promise.all(hashes.map((h) => this.getTokenBySecretHash(h)));
    return tokens.filter((t): t is TokenInfo => t !== null).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The names of the tokens that still exist, by id (revoked or unknown ids are absent). */
  async tokenNames(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const hashes = await this.redis.hmget(K.tokens(), ...ids);
    const present = ids.flatMap((id, i) => (hashes[i] ? [{ id, hash: hashes[i]! }] : []));
    if (present.length === 0) return out;
    const p = this.redis.pipeline();
    for (const t of present) p.hget(K.token(t.hash), 'name');
    const res = (await p.exec()) ?? [];
    present.forEach((t, i) => {
      const [err, name] = res[i] ?? [null, null];
      if (!err && typeof name === 'string') out.set(t.id, name);
    });
    return out;
  }

  /** Deletes a token by id; returns its info, or null when there is none. */
  async deleteToken(id: string): Promise<TokenInfo | null> {
    const secretHash = await this.redis.hget(K.tokens(), id);
    if (!secretHash) return null;
    const info = await this.getTokenBySecretHash(secretHash);
    await this.redis.multi().del(K.token(secretHash)).hdel(K.tokens(), id).exec();
    return info;
  }

  // ---- pairing -----------------------------------------------------------------------------

  /** Reserves a pairing code; false when the code is already in use. */
  async startPairing(code: string, secretHash: string, ttlMs: number): Promise<boolean> {
    const ok = await this.redis.set(K.pairing(code), secretHash, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return false;
    await this.redis.set(K.pairingSecret(secretHash), code, 'PX', ttlMs);
    return true;
  }

  async pairingSecretHashOf(code: string): Promise<string | null> {
    return this.redis.get(K.pairing(code));
  }

  /** Hands a claimed pairing its token; the code is spent. */
  async completePairing(code: string, secretHash: string, siteId: string, token: string, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .del(K.pairing(code))
      .set(K.pairingSecret(secretHash), `paired\x1f${siteId}\x1f${token}`, 'PX', ttlMs)
      .exec();
  }

  /** What a waiting screen sees: nothing, still waiting, or (once) its token. */
  async takePairing(secretHash: string): Promise<null | { status: 'waiting' } | { status: 'paired'; siteId: string; token: string }> {
    const v = await this.redis.get(K.pairingSecret(secretHash));
    if (v === null) return null;
    if (!v.startsWith('paired\x1f')) return { status: 'waiting' };
    await this.redis.del(K.pairingSecret(secretHash)); // the token is delivered once
    const [, siteId = '', token = ''] = v.split('\x1f');
    return { status: 'paired', siteId, token };
  }
}
