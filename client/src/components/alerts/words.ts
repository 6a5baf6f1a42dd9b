import type { Alert } from '../../../../shared/alerts/schema';
import { SEVERITY_RANK } from '../../../../shared/alerts/settings';
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
    settingsIntro: 'Thresholds are changed here (see how often a new value would have fired before saving); channels come from the sites file.',
    site: 'Site',
    backtest: 'Backtest a threshold (last 30 days)',
    rule: 'Rule',
    threshold: 'Threshold',
    runBacktest: 'Backtest',
    backtestResult: 'About {episodes} alerts ({hours} hours over the threshold) in {days} days; {data} hours had data.',
    channels: 'Channels',
    sendTest: 'Send test',
    quiet: 'quiet',
    thresholds: 'Current thresholds',
    thresholdsHint: 'Reminders every {repeat} min until acknowledged; unacknowledged critical alerts go to managers after {escalate} min.',
    off: 'off',
    pushRefused: 'Notifications refused — allow them in the browser settings',
    pushDone: 'Notifications are on for this device.',
    pushDismissed: 'Notifications were not allowed yet — tap again and choose Allow.',
    pushInstall: 'On iPhone and iPad: add Roomwatch to the home screen (Share → Add to Home Screen), open it from there and tap again.',
    pushUnsupported: 'This browser cannot receive notifications here (it needs HTTPS and a current browser).',
    pushService: 'The browser’s push service did not set this device up (it may be unreachable, or push is off in this mode, e.g. a private window). Nothing was set up; try again. ({detail})',
    pushServer: 'The server did not accept this device: {detail}',
    pushOffline: 'No connection to the server; nothing was set up. Try again.',
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
    settingsIntro: 'Grænser ændres her (se, hvor ofte en ny værdi ville have udløst alarm, før du gemmer); kanaler kommer fra stedfilen.',
    site: 'Sted',
    backtest: 'Afprøv en grænse (sidste 30 dage)',
    rule: 'Regel',
    threshold: 'Grænse',
    runBacktest: 'Afprøv',
    backtestResult: 'Ca. {episodes} alarmer ({hours} timer over grænsen) på {days} dage; {data} timer havde data.',
    channels: 'Kanaler',
    sendTest: 'Send test',
    quiet: 'stille',
    thresholds: 'Nuværende grænser',
    thresholdsHint: 'Påmindelse hvert {repeat}. min indtil kvittering; ukvitterede kritiske alarmer går til ledere efter {escalate} min.',
    off: 'fra',
    pushRefused: 'Notifikationer afvist — tillad dem i browserens indstillinger',
    pushDone: 'Notifikationer er slået til på denne enhed.',
    pushDismissed: 'Notifikationer er ikke tilladt endnu — tryk igen og vælg Tillad.',
    pushInstall: 'På iPhone og iPad: føj Roomwatch til hjemmeskærmen (Del → Føj til hjemmeskærm), åbn den derfra og tryk igen.',
    pushUnsupported: 'Denne browser kan ikke modtage notifikationer her (det kræver HTTPS og en nyere browser).',
    pushService: 'Browserens push-tjeneste satte ikke enheden op (den kan være utilgængelig, eller push er slået fra i denne tilstand, fx et privat vindue). Intet blev sat op; prøv igen. ({detail})',
    pushServer: 'Serveren tog ikke imod denne enhed: {detail}',
    pushOffline: 'Ingen forbindelse til serveren; intet blev sat op. Prøv igen.',
  },
} as const;

export type AlertWord = keyof (typeof WORDS)['en'];

export function alertWord(locale: string, key: AlertWord, params: Record<string, string> = {}): string {
  const text: string = (locale.startsWith('da') ? WORDS.da : WORDS.en)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

/** An alert's title in the page's language, from its current figures, naming its severity's limit. */
export const titleOf = (a: Pick<Alert, 'rule' | 'detail' | 'severity'>, locale: string): string => alertTitle(a.rule, a.detail, locale, a.severity);

/**
 * Whether the alert is acknowledged at its current severity: an acknowledgement given while it
 * was a warning says nothing about the critical alert it has become.
 */
export const acknowledgedNow = (a: Pick<Alert, 'acknowledged' | 'severity'>): boolean =>
  a.acknowledged !== null && SEVERITY_RANK[a.acknowledged.severity] >= SEVERITY_RANK[a.severity];
