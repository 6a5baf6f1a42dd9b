import type { Alert } from '../../../../shared/alerts/schema';
import { alertTitle } from '../../../../shared/alerts/text';

/** The alert UI's own words (kept beside its components so the shared locale files stay small). */
const WORDS = {
  en: {
    heading: 'Alerts',
    none: 'No open alerts',
    ack: 'Acknowledge',
    acked: 'Acknowledged by {name}',
    comment: 'Comment (optional)',
    commentHint: 'What was done, e.g. "extra staff called". Never anything about a person.',
    pending: 'pending',
    firing: 'firing',
    since: 'since {time}',
    newAlert: 'New alert',
    worse: 'Alert worse',
    test: 'Test notification received',
    dismiss: 'Dismiss',
    failed: 'Could not acknowledge',
    critical: 'critical',
    warning: 'warning',
    info: 'info',
    pushOn: 'Notify me on this device',
    pushRefused: 'Notifications refused — allow them in the browser settings',
  },
  da: {
    heading: 'Alarmer',
    none: 'Ingen åbne alarmer',
    ack: 'Kvittér',
    acked: 'Kvitteret af {name}',
    comment: 'Kommentar (valgfri)',
    commentHint: 'Hvad der blev gjort, fx "ekstra personale tilkaldt". Aldrig noget om en person.',
    pending: 'afventer',
    firing: 'aktiv',
    since: 'siden {time}',
    newAlert: 'Ny alarm',
    worse: 'Alarm forværret',
    test: 'Testbesked modtaget',
    dismiss: 'Luk',
    failed: 'Kunne ikke kvittere',
    critical: 'kritisk',
    warning: 'advarsel',
    info: 'info',
    pushOn: 'Giv mig besked på denne enhed',
    pushRefused: 'Notifikationer afvist — tillad dem i browserens indstillinger',
  },
} as const;

export type AlertWord = keyof (typeof WORDS)['en'];

export function alertWord(locale: string, key: AlertWord, params: Record<string, string> = {}): string {
  const text: string = (locale.startsWith('da') ? WORDS.da : WORDS.en)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

/** An alert's title in the page's language. */
export const titleOf = (a: Pick<Alert, 'rule' | 'detail'>, locale: string): string => alertTitle(a.rule, a.detail, locale);
