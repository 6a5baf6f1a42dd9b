import type { Band } from '../../shared/publicAvailability';
import type { RoomKind } from '../../shared/vocabulary';

/** The languages of the public page: Danish first (the street), English for everyone else. */
export const PUBLIC_LANGS = ['da', 'en'] as const;
export type PublicLang = (typeof PUBLIC_LANGS)[number];

const isLang = (v: unknown): v is PublicLang => (PUBLIC_LANGS as readonly unknown[]).includes(v);

/**
 * The page's language: `?lang=` wins, then the first of Danish or English the browser's
 * `Accept-Language` prefers (by q-value), else Danish.
 */
export function pickLang(query: unknown, acceptLanguage: string | undefined): PublicLang {
  if (isLang(query)) return query;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return prefs.map((p) => p.lang).find(isLang) ?? 'da';
}

export interface PublicWords {
  locale: string;
  title: string;
  intro: string;
  updated: (time: string) => string;
  refreshNow: string;
  autoOn: string;
  autoNote: string;
  autoOff: string;
  otherLang: { lang: PublicLang; label: string };
  kind: Record<RoomKind, string>;
  band: Record<Band, string>;
  freeCount: (n: number) => string;
  openAllDay: string;
  openUntil: (when: string) => string;
  open: string;
  closedOpens: (when: string) => string;
  opens: (when: string) => string;
  closed: string;
  noWait: string;
  wait: (minutes: number) => string;
  waitCapped: string;
  at: (time: string) => string;
  tomorrowAt: (time: string) => string;
  dayAt: (day: string, time: string) => string;
  none: string;
  unavailable: string;
  privacy: string;
  tooMany: string;
  poster: { scan: string; hours: string; allDay: string };
}

export const PUBLIC_WORDS: Record<PublicLang, PublicWords> = {
  da: {
    locale: 'da-DK',
    title: 'Åbent nu – stofindtagelsesrum',
    intro: 'Hvor er der plads lige nu?',
    updated: (time) => `Opdateret kl. ${time}.`,
    refreshNow: 'Opdater nu',
    autoOn: 'Opdater automatisk hvert minut',
    autoNote: 'Siden opdaterer sig selv hvert minut.',
    autoOff: 'Stop automatisk opdatering',
    otherLang: { lang: 'en', label: 'English' },
    kind: { injection: 'Injektionsrum', inhalation: 'Rygerum' },
    band: { free: 'Ledige pladser', few: 'Få pladser', full: 'Fuldt', closed: 'Lukket' },
    freeCount: (n) => `${n} ledige pladser`,
    openAllDay: 'Åbent hele døgnet',
    openUntil: (when) => `Åbent – lukker ${when}`,
    open: 'Åbent',
    closedOpens: (when) => `Lukket – åbner ${when}`,
    opens: (when) => `Åbner ${when}`,
    closed: 'Lukket',
    noWait: 'Ingen ventetid',
    wait: (m) => `Ventetid ca. ${m} min`,
    waitCapped: 'Ventetid over 2 timer',
    at: (time) => `kl. ${time}`,
    tomorrowAt: (time) => `i morgen kl. ${time}`,
    dayAt: (day, time) => `${day} kl. ${time}`,
    none: 'Ingen steder viser deres status her lige nu.',
    unavailable: 'Status kan ikke hentes lige nu. Prøv igen om lidt.',
    privacy: 'Siden viser kun, om der er plads – aldrig noget om de mennesker, der kommer her.',
    tooMany: 'For mange forespørgsler. Prøv igen om lidt.',
    poster: { scan: 'Scan og se, hvor der er plads lige nu', hours: 'Åbningstider', allDay: 'Døgnåbent' },
  },
  en: {
    locale: 'en-GB',
    title: 'Open now – consumption rooms',
    intro: 'Where is there room right now?',
    updated: (time) => `Updated at ${time}.`,
    refreshNow: 'Refresh now',
    autoOn: 'Update automatically every minute',
    autoNote: 'This page updates itself every minute.',
    autoOff: 'Stop updating automatically',
    otherLang: { lang: 'da', label: 'Dansk' },
    kind: { injection: 'Injection room', inhalation: 'Smoking room' },
    band: { free: 'Places free', few: 'Few places', full: 'Full', closed: 'Closed' },
    freeCount: (n) => `${n} places free`,
    openAllDay: 'Open 24 hours',
    openUntil: (when) => `Open – closes ${when}`,
    open: 'Open',
    closedOpens: (when) => `Closed – opens ${when}`,
    opens: (when) => `Opens ${when}`,
    closed: 'Closed',
    noWait: 'No wait',
    wait: (m) => `Wait about ${m} min`,
    waitCapped: 'Wait over 2 hours',
    at: (time) => `at ${time}`,
    tomorrowAt: (time) => `tomorrow at ${time}`,
    dayAt: (day, time) => `${day} at ${time}`,
    none: 'No site shows its status here right now.',
    unavailable: 'The status cannot be read right now. Please try again shortly.',
    privacy: 'This page only shows whether there is room – never anything about the people who come here.',
    tooMany: 'Too many requests. Please try again shortly.',
    poster: { scan: 'Scan to see where there is room right now', hours: 'Opening hours', allDay: 'Open 24 hours' },
  },
};
