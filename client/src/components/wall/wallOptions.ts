import { LOCALES, type Locale } from '../../i18n';

/** How a wall screen looks and sounds, from its URL query (and, for sound, this device's storage). */
export type ThemeChoice = 'day' | 'night' | 'auto';

export interface WallOptions {
  theme: ThemeChoice;
  lang: Locale | null;
  chime: boolean;
  /** 0–1. */
  volume: number;
  /** Reload at the quiet hour once the JS heap passes this (MB). */
  heapLimitMb: number;
  /** Site-local hour at which a pending watchdog reload happens. */
  quietHour: number;
}

const CHIME_KEY = 'roomwatch.wall.chime';
const VOLUME_KEY = 'roomwatch.wall.volume';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch (e) {
    console.warn('roomwatch: storage unavailable', e);
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch (e) {
    console.warn('roomwatch: storage unavailable', e);
  }
}

const num = (v: string | null, min: number, max: number): number | null => {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
};

/**
 * `?theme=day|night|auto`, `?lang=da|en`, `?chime=on|off`, `?volume=0..1`, `?heapLimitMb=`,
 * `?quietHour=0..23`. Sound settings given in the query are remembered on this screen.
 */
export function readWallOptions(query: URLSearchParams): WallOptions {
  const theme = query.get('theme');
  const lang = query.get('lang');
  const chimeQ = query.get('chime');
  if (chimeQ === 'on' || chimeQ === 'off') store(CHIME_KEY, chimeQ);
  const volumeQ = num(query.get('volume'), 0, 1);
  if (volumeQ !== null) store(VOLUME_KEY, String(volumeQ));
  return {
    theme: theme === 'day' || theme === 'night' ? theme : 'auto',
    lang: (LOCALES as readonly string[]).includes(lang ?? '') ? (lang as Locale) : null,
    chime: (stored(CHIME_KEY) ?? 'on') !== 'off',
    volume: num(stored(VOLUME_KEY), 0, 1) ?? 0.7,
    heapLimitMb: num(query.get('heapLimitMb'), 32, 4096) ?? 400,
    quietHour: num(query.get('quietHour'), 0, 23) ?? 4,
  };
}

/** Night from 20:00 to 07:00 site time when the theme is `auto`. */
export const NIGHT_FROM_HOUR = 20;
export const NIGHT_UNTIL_HOUR = 7;

export function isNight(choice: ThemeChoice, siteHour: number): boolean {
  if (choice !== 'auto') return choice === 'night';
  return siteHour >= NIGHT_FROM_HOUR || siteHour < NIGHT_UNTIL_HOUR;
}
