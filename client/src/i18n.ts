import { createI18n } from 'vue-i18n';
import { da } from './locales/da';
import { en, type MessageSchema } from './locales/en';

export const LOCALES = ['da', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'roomwatch.locale';

const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

function savedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    // Storage can be blocked (private mode, kiosk policies); the browser language still works.
    return null;
  }
}

/** The saved choice, else the browser's first language we speak, else English. */
export function initialLocale(): Locale {
  const saved = savedLocale();
  if (saved) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { da, en },
});

/** Switches the language, remembers it on this device and tells assistive tech via `<html lang>`. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the switch itself still applies.
  }
}

document.documentElement.lang = i18n.global.locale.value;
