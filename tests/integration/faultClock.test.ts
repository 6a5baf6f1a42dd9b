import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';


/**
 * Clock and time through the whole stack (HTTP → script → counters → snapshot): a business day
 * that runs past midnight and through the autumn DST change in Copenhagen (25 Oct 2026, when
 * 03:00 CEST becomes 02:00 CET), with a controlled clock.
 */
describe.skipIf(!haveRedis())('fault: a business day across midnight and a DST change', () => {
  const clock = { now: Date.parse('2026-10-24T21:30:00Z') }; // 23:30 CEST, Saturday 24 Oct
  const { srv } = serverOnRedis({ clock: () => clock.now });

  it('keeps counting into the same business day until 06:00 local, the repeated hour included', async () => {
    const at = async (iso: string, path: string, body: unknown) => {
      clock.now = Date.parse(iso);
      const r = await srv.send('POST', path, body);
      expect(r.status).toBeLessThan(300);
    };
    await at('2026-10-24T21:30:00Z', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'cocaine', route: 'injection' }); // 23:30 CEST
    await at('2026-10-24T22:30:00Z', '/api/sites/alpha/registrations', {}); // 00:30 CEST, after midnight
    await at('2026-10-25T00:30:00Z', '/api/sites/alpha/registrations', {}); // 02:30 CEST
    await at('2026-10-25T01:30:00Z', '/api/sites/alpha/registrations', {}); // 02:30 CET, the same clock hour again
    await at('2026-10-25T04:59:00Z', '/api/sites/alpha/booths/inj-1/check-out', {}); // 05:59 CET: 7 h 29 min later

    const night = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(night.businessDate).toBe('2026-10-24');
    expect(night.counters).toMatchObject({ intakes: 1, registrations: 3, checkouts: 1 });
    expect(night.counters.sessionMinutesTotal).toBe(449); // 7 h 29 min of real time, not 6 h 29 min of clock time
    expect(night.hourlyIntakes[23]).toBe(1);

    await at('2026-10-25T05:00:00Z', '/api/sites/alpha/registrations', {}); // 06:00 CET: a new business day
    const morning = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    expect(morning.businessDate).toBe('2026-10-25');
    expect(morning.counters).toMatchObject({ intakes: 0, registrations: 1 });
    expect(morning.booths.find((b: { id: string }) => b.id === 'inj-1').state).toBe('cleaning'); // live state carries over
    expect(morning.seq).toBe(night.seq + 1);
  });
});
