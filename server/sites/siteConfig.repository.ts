import type { Redis } from 'ioredis';
import type { SiteConfig } from '../../shared/siteConfig';
import { keys } from '../store/keys';
import { parseStoredConfig } from './sites.seed';

// Writes a site's config atomically with its booth changes. Refuses (and changes nothing) when
// a booth being removed is occupied. Lua never parses the JSON: Node wrote it and reads it.
// KEYS: 1 config, then the removed booths' keys, then the added booths' keys.
// ARGV: 1 config JSON, 2 how many removed booth keys follow KEYS[1].
const SAVE_LUA = `
local removed = tonumber(ARGV[2])
local busy = {}
for i = 2, removed + 1 do
  local s = redis.call('HGET', KEYS[i], 'state')
  if type(s) == 'string' and s == 'occupied' then busy[#busy + 1] = KEYS[i] end
end
if #busy > 0 then return { 'occupied', table.concat(busy, ',') } end
for i = 2, removed + 1 do redis.call('DEL', KEYS[i]) end
for i = removed + 2, #KEYS do redis.call('HSETNX', KEYS[i], 'state', 'free') end
local before = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
if type(before) ~= 'string' then before = '' end
return { 'ok', before }
`;

/** All Redis I/O of site configs (`rw:{site}:config`). */
export class SiteConfigRepository {
  constructor(private readonly redis: Redis) {}

  async get(siteId: string): Promise<SiteConfig | null> {
    const raw = await this.redis.get(keys.config(siteId));
    return raw === null ? null : parseStoredConfig(raw);
  }

  /**
   * Stores `config`, deleting removed booths and giving added ones a free state, in one script.
   * Returns the occupied booth ids that blocked it (nothing changed), or the config it replaced.
   */
  async put(config: SiteConfig, removed: string[], added: string[]): Promise<{ occupied: string[] } | { before: SiteConfig | null }> {
    const s = config.id;
    const keyList = [keys.config(s), ...removed.map((b) => keys.booth(s, b)), ...added.map((b) => keys.booth(s, b))];
    // EVAL with the key count, not a defined command: the number of keys varies with the booths
    // changed, and the embedded engine only passes KEYS right to scripts of a fixed key count.
    // Settings are saved rarely, so sending the script each time costs nothing that matters.
    const [status, detail] = (await this.redis.eval(SAVE_LUA, keyList.length, ...keyList, JSON.stringify(config), removed.length)) as [string, string];
    if (status === 'occupied') {
      const prefix = keys.booth(s, '');
      return { occupied: detail.split(',').map((k) => k.slice(prefix.length)) };
    }
    return { before: detail ? parseStoredConfig(detail) : null };
  }
}
