import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../shared/auth';
import { authKeys } from '../auth/auth.keys';

// Ids come from a counter inside the script: the same on Redis and the embedded engine,
// whose own '*' ids repeat after trimming.
const APPEND_LUA = `
local n = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], string.format('%d', n), 'at', ARGV[2],
  'actor', ARGV[3], 'action', ARGV[4], 'target', ARGV[5], 'from', ARGV[6], 'detail', ARGV[7])
return string.format('%d', n)
`;

const AUDIT_SEQ = 'rw:{auth}:audit-seq';

export type AuditInput = Omit<AuditEntry, 'id' | 'at'> & { at?: string };

/** The audit log: who did what, when, from where. A Redis Stream, newest last. */
export class AuditRepository {
  constructor(
    private readonly redis: Redis,
    private readonly maxLen = 100_000,
  ) {
    if (!(redis as unknown as Record<string, unknown>).rwAuditAppend) redis.defineCommand('rwAuditAppend', { numberOfKeys: 2, lua: APPEND_LUA });
  }

  async append(e: AuditInput): Promise<void> {
    const fn = (this.redis as unknown as Record<string, (...a: string[]) => Promise<string>>).rwAuditAppend!;
    await fn.call(this.redis, authKeys.audit(), AUDIT_SEQ, String(this.maxLen), e.at ?? new Date().toISOString(), e.actor, e.action, e.target, e.from, e.detail.slice(0, 500));
  }

  /** Newest first. */
  async list(count = 200): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(authKeys.audit(), '+', '-', 'COUNT', count);
    return rows.map(([id, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      return { id, at: f.at ?? '', actor: f.actor ?? '', action: f.action ?? '', target: f.target ?? '', from: f.from ?? '', detail: f.detail ?? '' };
    });
  }
}
