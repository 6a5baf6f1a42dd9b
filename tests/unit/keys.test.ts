import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashTagOf, keys } from '../../server/store/keys';

describe('store keys', () => {
  it('every key of a site carries the site as its hash tag (one Redis Cluster slot)', () => {
    const all = [
      keys.seq('s1'),
      keys.floor('s1'),
      keys.booth('s1', 'inj-1'),
      keys.day('s1', '2026-01-01'),
      keys.hour('s1', '2026-01-01', 7),
      keys.events('s1'),
      keys.idempotency('s1', 'abc'),
    ];
    for (const k of all) expect(hashTagOf(k)).toBe('s1');
    expect(keys.hour('s1', '2026-01-01', 7)).toBe('rw:{s1}:hour:2026-01-01:07');
  });

  it('the command script touches only the keys it is given', () => {
    const lua = readFileSync(new URL('../../server/floor/command.lua', import.meta.url), 'utf8');
    // every redis.call names its key through KEYS (k* locals), never a built string
    const all = [...lua.matchAll(/redis\.call\('(\w+)',\s*([^,)]+)/g)];
    // PUBLISH names a channel, not a key (the site's live channel, passed in by Node)
    const calls = all.filter((m) => m[1] !== 'PUBLISH').map((m) => m[2]!.trim());
    expect(calls.length).toBeGreaterThan(10);
    for (const keyArg of calls) expect(keyArg).toMatch(/^(k[A-Z]\w*|k)$/);
    expect(all.filter((m) => m[1] === 'PUBLISH').map((m) => m[2]!.trim())).toEqual(['ARGV[19]']);
  });
});
