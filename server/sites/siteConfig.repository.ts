import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SiteConfig } from '../../shared/siteConfig';
import { ConfigVersionEntry } from '../../shared/siteSettings';
import { keys } from '../store/keys';
import { parseStoredConfig } from './sites.seed';

// Writes a site's config atomically with its booth changes and its version. Refuses (and changes
// nothing) when someone saved since the version the caller read, or when a booth being removed
// is occupied. Lua never parses the JSON: Node wrote it and reads it.
// KEYS: 1 config, then the removed booths' keys, then the added booths' keys, last the meta hash.
// ARGV: 1 config JSON, 2 how many removed booth keys follow KEYS[1], 3 the version the caller
//       read, 4 the change log to store (JSON), 5 who saves, 6 when.
const SAVE_LUA = `
local kMeta = KEYS[#KEYS]
local version = redis.call('HGET', kMeta, 'version')
if type(version) ~= 'string' then version = '0' end
if version ~= ARGV[3] then return { 'stale', version } end
local removed = tonumber(ARGV[2])
local busy = {}
for i = 2, removed + 1 do
  local s = redis.call('HGET', KEYS[i], 'state')
  if type(s) == 'string' and s == 'occupied' then busy[#busy + 1] = KEYS[i] end
end
if #busy > 0 then return { 'occupied', table.concat(busy, ',') } end
for i = 2, removed + 1 do redis.call('DEL', KEYS[i]) end
for i = removed + 2, #KEYS - 1 do redis.call('HSETNX', KEYS[i], 'state', 'free') end
local before = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', kMeta, 'version', string.format('%d', tonumber(version) + 1), 'by', ARGV[5], 'at', ARGV[6], 'log', ARGV[4])
if type(before) ~= 'string' then before = '' end
return { 'ok', before }
`;

/** A site's stored config with its version and the last saved changes (newest first). */
export interface StoredVersion {
  config: SiteConfig | null;
  version: number;
  updatedBy: string | undefined;
  updatedAt: string | undefined;
  log: ConfigVersionEntry[];
}

/** All Redis I/O of site configs (`rw:{site}:config`). */
export class SiteConfigRepository {
  constructor(private readonly redis: Redis) {}

  async get(siteId: string): Promise<SiteConfig | null> {
    const raw = await this.redis.get(keys.config(siteId));
    return raw === null ? null : parseStoredConfig(raw);
  }

  /** The stored config with its version (0 before the first save in Settings) and recent changes. */
  async getVersioned(siteId: string): Promise<StoredVersion> {
    const res = await this.redis.multi().get(keys.config(siteId)).hgetall(keys.configMeta(siteId)).exec();
    if (!res) throw new Error('config read aborted');
    const [[e1, raw], [e2, meta]] = res as [[Error | null, string | null], [Error | null, Record<string, string>]];
    if (e1 || e2) throw e1 ?? e2;
    const log = meta.log ? z.array(ConfigVersionEntry).safeParse(JSON.parse(meta.log)) : null;
    return {
      config: raw === null ? null : parseStoredConfig(raw),
      version: Number(meta.version ?? 0),
      updatedBy: meta.by,
      updatedAt: meta.at,
      log: log?.success ? log.data : [],
    };
  }

  /**
   * Stores `config` if the stored version is still `basedOn`, deleting removed booths and giving
   * added ones a free state, in one script. Returns `stale` (someone saved meanwhile), the
   * occupied booth ids that blocked it (nothing changed either way), or the config it replaced.
   */
  async put(
    config: SiteConfig,
    removed: string[],
    added: string[],
    version: { basedOn: number; by: string; at: string; log: ConfigVersionEntry[] },
  ): Promise<{ stale: true } | { occupied: string[] } | { before: SiteConfig | null }> {
    const s = config.id;
    const keyList = [keys.config(s), ...removed.map((b) => keys.booth(s, b)), ...added.map((b) => keys.booth(s, b)), keys.configMeta(s)];
    // EVAL with the key count, not a defined command: the number of keys varies with the booths
    // changed, and the embedded engine only passes KEYS right to scripts of a fixed key count.
    // Settings are saved rarely, so sending the script each time costs nothing that matters.
    const args = [JSON.stringify(config), removed.length, version.basedOn, JSON.stringify(version.log), version.by, version.at];
    const [status, detail] = (await this.redis.eval(SAVE_LUA, keyList.length, ...keyList, ...args)) as [string, string];
    if (status === 'stale') return { stale: true };
    if (status === 'occupied') {
      const prefix = keys.booth(s, '');
      return { occupied: detail.split(',').map((k) => k.slice(prefix.length)) };
    }
    return { before: detail ? parseStoredConfig(detail) : null };
  }
}
