import { describe, expect, it } from 'vitest';
import { bandOf, publishedFree, publishedWait, toPublicSite, PublicSite } from '../../shared/publicAvailability';
import { clockTime, siteStatus, waitLine, when } from '../../server/public/openPage';
import { dayList, hoursLines } from '../../server/public/poster';
import { addressKey } from '../../server/public/public.routes';
import { pickLang, PUBLIC_WORDS } from '../../server/public/publicWords';

const open = (free: number, places: number) => ({ open: true, free, places });

describe('public bands (PRODUCT.md: "few" is at most 2 free places or 20 % of the open places)', () => {
  it('is closed when no room of the kind is open, whatever the figures', () => {
    expect(bandOf({ open: false, free: 9, places: 9 })).toBe('closed');
  });
  it('is full with no free place, also when every place is out of service', () => {
    expect(bandOf(open(0, 9))).toBe('full');
    expect(bandOf(open(0, 0))).toBe('full');
  });
  it('is few at 1 or 2 free places, or up to 20 % of the open places', () => {
    expect(bandOf(open(1, 9))).toBe('few');
    expect(bandOf(open(2, 6))).toBe('few');
    expect(bandOf(open(3, 9))).toBe('free'); // 3 > max(2, 1.8)
    expect(bandOf(open(3, 17))).toBe('few'); // 3 ≤ 3.4
    expect(bandOf(open(4, 20))).toBe('few'); // exactly 20 %
    expect(bandOf(open(5, 20))).toBe('free');
  });
});

describe('published figures never count a few people', () => {
  it('publishes no free count in the few, full or closed bands', () => {
    expect(publishedFree(open(2, 9))).toBeUndefined();
    expect(publishedFree(open(0, 9))).toBeUndefined();
    expect(publishedFree({ open: false, free: 9, places: 9 })).toBeUndefined();
  });
  it('publishes the count when the room is empty or at least 3 places are in use', () => {
    expect(publishedFree(open(9, 9))).toBe(9);
    expect(publishedFree(open(6, 9))).toBe(6);
    expect(publishedFree(open(3, 6))).toBe(3);
  });
  it('hides the count when it would tell that 1 or 2 people are inside', () => {
    expect(publishedFree(open(8, 9))).toBeUndefined();
    expect(publishedFree(open(7, 9))).toBeUndefined();
  });
  it('rounds the wait up to 5-minute steps, caps it at 2 hours, and drops it while closed', () => {
    expect(publishedWait(0, true)).toBe(0);
    expect(publishedWait(1, true)).toBe(5);
    expect(publishedWait(5, true)).toBe(5);
    expect(publishedWait(11, true)).toBe(15);
    expect(publishedWait(47, true)).toBe(50);
    expect(publishedWait(500, true)).toBe(120);
    expect(publishedWait(12, false)).toBeUndefined();
    expect(publishedWait(null, true)).toBeUndefined();
  });
});

describe('a site in public', () => {
  it('keeps bands and hours and drops the queue and exact small figures', () => {
    const site = toPublicSite({
      id: 'skyen',
      name: 'Skyen',
      open: true,
      closesAt: '2026-11-30T22:30:00.000Z',
      rooms: [
        { kind: 'injection', open: true, free: 1, places: 9 },
        { kind: 'inhalation', open: false, free: 0, places: 0, opensAt: '2026-11-30T06:30:00.000Z' },
      ],
      waitMinutes: 23,
      ...{ queue: 15 },
    } as Parameters<typeof toPublicSite>[0]);
    expect(PublicSite.strict().parse(site)).toEqual({
      id: 'skyen',
      name: 'Skyen',
      open: true,
      closesAt: '2026-11-30T22:30:00.000Z',
      rooms: [
        { kind: 'injection', open: true, band: 'few' },
        { kind: 'inhalation', open: false, band: 'closed', opensAt: '2026-11-30T06:30:00.000Z' },
      ],
      waitMinutes: 25,
    });
    expect(JSON.stringify(site)).not.toContain('queue');
  });
  it('reads full while the site has paused intakes, with the longer wait, whatever places stand free', () => {
    const skyen = {
      id: 'skyen',
      name: 'Skyen',
      open: true,
      rooms: [{ kind: 'injection' as const, open: true, free: 8, places: 17 }],
      waitMinutes: 34,
    };
    const night = { ...skyen, rooms: [...skyen.rooms, { kind: 'inhalation' as const, open: false, free: 0, places: 0, opensAt: '2026-12-01T06:30:00.000Z' }] };
    expect(toPublicSite(night).rooms.map((r) => r.band)).toEqual(['free', 'closed']);
    expect(toPublicSite(night).rooms[0]!.free).toBe(8);
    const paused = toPublicSite({ ...night, intakesPaused: true });
    expect(paused.rooms).toEqual([
      { kind: 'injection', open: true, band: 'full' },
      { kind: 'inhalation', open: false, band: 'closed', opensAt: '2026-12-01T06:30:00.000Z' },
    ]);
    expect(paused.waitMinutes).toBe(35);
    expect(JSON.stringify(paused)).not.toContain('aused');
  });
  it('says when a closed site opens, and no wait', () => {
    const site = toPublicSite({ id: 'h17', name: 'H17', open: false, opensAt: '2026-12-01T06:30:00.000Z', rooms: [{ kind: 'injection', open: false, free: 0, places: 0 }], waitMinutes: 0 });
    expect(site).toEqual({ id: 'h17', name: 'H17', open: false, opensAt: '2026-12-01T06:30:00.000Z', rooms: [{ kind: 'injection', open: false, band: 'closed' }] });
  });
});

describe('the public page speaks like people do, in the site time zone', () => {
  const da = PUBLIC_WORDS.da;
  const en = PUBLIC_WORDS.en;
  const tz = 'Europe/Copenhagen';
  const now = Date.parse('2026-11-30T22:00:00Z'); // Monday 23:00 in Copenhagen
  it('names today, tomorrow, a weekday and a later date', () => {
    expect(when('2026-11-30T22:30:00Z', now, da, tz)).toBe('kl. 23.30');
    expect(when('2026-12-01T06:30:00Z', now, da, tz)).toBe('i morgen kl. 07.30');
    expect(when('2026-12-01T06:30:00Z', now, en, tz)).toBe('tomorrow at 07:30');
    expect(when('2026-12-03T09:00:00Z', now, en, tz)).toBe('Thursday at 10:00');
    expect(when('2026-12-27T09:00:00Z', now, da, tz)).toBe('27. december kl. 10.00');
  });
  it('reads clock times across the spring DST change in local time', () => {
    expect(clockTime(Date.parse('2026-03-29T01:30:00Z'), en, tz)).toBe('03:30');
  });
  it('says open round the clock, until when, or closed from when', () => {
    expect(siteStatus({ id: 'a', name: 'A', open: true, rooms: [] }, now, da, tz)).toBe('Åbent hele døgnet');
    expect(siteStatus({ id: 'a', name: 'A', open: true, closesAt: '2026-11-30T22:30:00Z', rooms: [] }, now, en, tz)).toBe('Open – closes at 23:30');
    expect(siteStatus({ id: 'a', name: 'A', open: false, opensAt: '2026-12-01T06:30:00Z', rooms: [] }, now, da, tz)).toBe('Lukket – åbner i morgen kl. 07.30');
  });
  it('words the wait', () => {
    expect(waitLine(undefined, da)).toBeUndefined();
    expect(waitLine(0, en)).toBe('No wait');
    expect(waitLine(25, da)).toBe('Ventetid ca. 25 min');
    expect(waitLine(120, en)).toBe('Wait over 2 hours');
  });
  it('picks the language from ?lang, then Accept-Language by preference, else Danish', () => {
    expect(pickLang('en', 'da')).toBe('en');
    expect(pickLang(undefined, 'en-GB,en;q=0.9,da;q=0.8')).toBe('en');
    expect(pickLang(undefined, 'de-DE,da;q=0.5,en;q=0.7')).toBe('en');
    expect(pickLang(undefined, 'en;q=0.2,da-DK')).toBe('da');
    expect(pickLang('fr', undefined)).toBe('da');
  });
  it('writes weekly hours for the poster', () => {
    expect(dayList(['mon', 'tue', 'wed', 'thu', 'fri'], 'da')).toBe('man–fre');
    expect(dayList(['sat', 'sun'], 'en')).toBe('Sat, Sun');
    expect(dayList(['mon', 'wed', 'thu', 'fri', 'sun'], 'en')).toBe('Mon, Wed–Fri, Sun');
    expect(hoursLines('24h', 'da')).toEqual([['Alle dage', 'Døgnåbent']]);
    expect(hoursLines([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '07:30', close: '23:30' }], 'da')).toEqual([['Alle dage', '07.30–23.30']]);
  });
});

describe('rate-limit keys', () => {
  it('counts an IPv4 address (also IPv4-mapped) as itself and an IPv6 address by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
