import type { RuleId } from '../../../../shared/alerts/settings';
import type { FieldUnit } from './alertFields';

/** Words of the threshold editor (Settings → Alerts), Danish and English. */
const RULES: Record<'en' | 'da', Record<RuleId, string>> = {
  en: {
    'booths-per-staff': 'Booths per staff member',
    occupancy: 'Occupancy',
    queue: 'Queue',
    overstay: 'Overstay (welfare check)',
    'overdose-cluster': 'Overdose cluster',
    'responder-floor': 'Responder floor (safety, always on)',
    'no-data': 'No data',
    'payday-ahead': 'Payday ahead',
    'forecast-gap': 'Forecast gap',
    'wall-offline': 'Wall screen offline',
  },
  da: {
    'booths-per-staff': 'Pladser pr. medarbejder',
    occupancy: 'Belægning',
    queue: 'Kø',
    overstay: 'Overtid (tilsyn)',
    'overdose-cluster': 'Overdoser tæt på hinanden',
    'responder-floor': 'Fri responder (sikkerhed, altid til)',
    'no-data': 'Ingen data',
    'payday-ahead': 'Udbetaling forude',
    'forecast-gap': 'Mangel i prognosen',
    'wall-offline': 'Vægskærm offline',
  },
};

const FIELDS = {
  en: {
    warning: 'Warning at',
    critical: 'Critical at',
    clear: 'Clears below',
    criticalClear: 'Critical eases below',
    pendingSeconds: 'Must last',
    severity: 'Severity',
    count: 'Overdoses',
    windowMinutes: 'Within',
    minFree: 'Fires below free responders',
    boothsPerObserver: 'Booths per observer',
    staffPerOverdose: 'Staff per overdose',
    overdoseMinutes: 'Overdose ties staff for',
    minutes: 'After',
    minExpectedPerHour: 'Only if expected intakes/h ≥',
    hour: 'Day before, at hour',
    hoursAhead: 'Look ahead',
    minShortfall: 'Staff missing ≥',
    forgetAfterHours: 'Forget a screen after',
    repeatMinutes: 'Remind every (min, 0 = never)',
    escalateAfterMinutes: 'Critical to managers after (min, 0 = never)',
    enabled: 'On',
  },
  da: {
    warning: 'Advarsel ved',
    critical: 'Kritisk ved',
    clear: 'Ophører under',
    criticalClear: 'Kritisk falder under',
    pendingSeconds: 'Skal vare',
    severity: 'Alvor',
    count: 'Overdoser',
    windowMinutes: 'Inden for',
    minFree: 'Udløses under frie respondere',
    boothsPerObserver: 'Pladser pr. observatør',
    staffPerOverdose: 'Personale pr. overdosis',
    overdoseMinutes: 'Overdosis binder personale i',
    minutes: 'Efter',
    minExpectedPerHour: 'Kun hvis ventede indtag/t ≥',
    hour: 'Dagen før, klokken',
    hoursAhead: 'Se frem',
    minShortfall: 'Mangler ≥ medarbejdere',
    forgetAfterHours: 'Glem en skærm efter',
    repeatMinutes: 'Påmind hvert (min, 0 = aldrig)',
    escalateAfterMinutes: 'Kritisk til ledere efter (min, 0 = aldrig)',
    enabled: 'Til',
  },
} as const;

const UNITS: Record<'en' | 'da', Partial<Record<FieldUnit, string>>> = {
  en: { percent: '%', minutes: 'min', pendingMinutes: 'min', hours: 'h', hour: ':00' },
  da: { percent: '%', minutes: 'min', pendingMinutes: 'min', hours: 't', hour: ':00' },
};

const TEXT = {
  en: {
    title: 'Thresholds',
    intro: 'Change a value and see how often it would have fired in the last 30 days before you save. Saving applies at once and is logged.',
    save: 'Save thresholds',
    discard: 'Discard changes',
    saved: 'Saved. The alert engine uses the new thresholds now.',
    fix: 'Check the marked fields.',
    nan: 'Enter a number.',
    wouldFire: 'Would have fired {n} times in the last 30 days ({hours} hours over).',
    wouldFireOne: 'Would have fired once in the last 30 days ({hours} hours over).',
    now: 'Now: {n}.',
    noHistory: 'No history to replay yet.',
    checking: 'Checking the last 30 days…',
    backtestFailed: 'Backtest unavailable: {message}',
    other: 'The server refused other fields: {fields}',
    changedElsewhere: 'Someone else saved this site’s settings. Discard to see them, or save to overwrite the thresholds.',
    safety:
      'A safety rule, not a setting: it is always on, fires at once, ignores quiet hours and acknowledgements, and fires when fewer than 1 free responder is left at the least. You can make it stricter (a higher threshold), never weaker.',
  },
  da: {
    title: 'Grænser',
    intro: 'Ændr en værdi og se, hvor ofte den ville have udløst alarm de sidste 30 dage, før du gemmer. Ændringen gælder straks og logges.',
    save: 'Gem grænser',
    discard: 'Fortryd ændringer',
    saved: 'Gemt. Alarmerne bruger de nye grænser nu.',
    fix: 'Tjek de markerede felter.',
    nan: 'Skriv et tal.',
    wouldFire: 'Ville have udløst {n} gange de sidste 30 dage ({hours} timer over).',
    wouldFireOne: 'Ville have udløst én gang de sidste 30 dage ({hours} timer over).',
    now: 'Nu: {n}.',
    noHistory: 'Ingen historik at afprøve endnu.',
    checking: 'Afprøver de sidste 30 dage…',
    backtestFailed: 'Afprøvning ikke mulig: {message}',
    other: 'Serveren afviste andre felter: {fields}',
    changedElsewhere: 'En anden har gemt stedets indstillinger. Fortryd for at se dem, eller gem for at overskrive grænserne.',
    safety:
      'En sikkerhedsregel, ikke en indstilling: den er altid slået til, udløses straks, gælder også i stille timer og efter kvittering, og udløses senest når der er under 1 fri responder. Du kan gøre den strengere (en højere grænse), aldrig svagere.',
  },
} as const;

export type ThresholdText = keyof (typeof TEXT)['en'];
const lang = (locale: string): 'en' | 'da' => (locale.startsWith('da') ? 'da' : 'en');

export const ruleName = (locale: string, rule: RuleId): string => RULES[lang(locale)][rule];
export const fieldLabel = (locale: string, key: string): string => (FIELDS[lang(locale)] as Record<string, string>)[key] ?? key;
export const unitSuffix = (locale: string, unit: FieldUnit): string => UNITS[lang(locale)][unit] ?? '';
export function thresholdText(locale: string, key: ThresholdText, params: Record<string, string | number> = {}): string {
  return TEXT[lang(locale)][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}
