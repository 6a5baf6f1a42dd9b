import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { da } from '../../client/src/locales/da';
import { en } from '../../client/src/locales/en';
import { clockOf, roomStatusText } from '../../client/src/components/rooms/roomStatusText';

const TZ = 'Europe/Copenhagen';
const at = (iso: string) => Date.parse(iso);

/** The app's own messages, so the test reads what a screen would show. */
function translator(locale: 'da' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { da, en } });
  return (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));
}

describe('room times in words', () => {
  it('writes times as each language does: 23:30 in English, 23.30 in Danish (as the wall clock does)', () => {
    const now = at('2026-11-30T20:00:00Z'); // 21:00 in Copenhagen
    const open = { id: 'inj', open: true, closesAt: '2026-11-30T22:30:00.000Z' };
    expect(roomStatusText(translator('en'), open, 'en', TZ, now)).toContain('23:30');
    expect(roomStatusText(translator('da'), open, 'da', TZ, now)).toContain('23.30');
    expect(roomStatusText(translator('da'), open, 'da', TZ, now)).not.toContain('23:30');
    const closed = { id: 'inj', open: false, opensAt: '2026-12-01T06:30:00.000Z' };
    expect(roomStatusText(translator('da'), closed, 'da', TZ, now)).toContain('07.30');
    expect(clockOf('2026-12-01T06:30:00.000Z', 'en', TZ)).toBe('07:30');
    expect(clockOf('2026-12-01T06:30:00.000Z', 'da', TZ)).toBe('07.30');
  });
});
