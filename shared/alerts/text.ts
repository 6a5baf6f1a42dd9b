import type { RuleId } from './settings';
import type { AlertDetail } from './schema';

type Words = (d: AlertDetail) => string;

/** Whole people missing for one free responder (the rule's value is free responders, < 1). */
const staffShort = (d: AlertDetail) => Math.max(1, Math.ceil(1 - Number(d.value)));

const EN: Record<RuleId, Words> = {
  'booths-per-staff': (d) => `${d.value} occupied booths per staff member (limit ${d.threshold})`,
  occupancy: (d) => `Occupancy ${d.value} % of open booths (limit ${d.threshold} %)`,
  queue: (d) => `Queue ${d.value} waiting (limit ${d.threshold})`,
  overstay: (d) => `Welfare check: booth ${d.booth} occupied ${d.value} min (max ${d.threshold})`,
  'overdose-cluster': (d) => `${d.value} overdoses within ${d.minutes} min`,
  'responder-floor': (d) => `No free responder: ${staffShort(d)} more staff needed (${d.onShift} on shift)`,
  'no-data': (d) => `No events for ${d.value} min although traffic is expected`,
  'payday-ahead': (d) => `Payday ${d.date}: about ${d.value} intakes expected, ${d.recommended} staff recommended, ${d.planned} planned`,
  'forecast-gap': (d) => `Next ${d.hours} h need ${d.value} more staff than planned`,
  'wall-offline': (d) => `Wall screen offline for ${d.value} min`,
};

const DA: Record<RuleId, Words> = {
  'booths-per-staff': (d) => `${d.value} optagne pladser pr. medarbejder (grænse ${d.threshold})`,
  occupancy: (d) => `Belægning ${d.value} % af åbne pladser (grænse ${d.threshold} %)`,
  queue: (d) => `Kø: ${d.value} venter (grænse ${d.threshold})`,
  overstay: (d) => `Tilsyn: plads ${d.booth} optaget i ${d.value} min (maks. ${d.threshold})`,
  'overdose-cluster': (d) => `${d.value} overdoser inden for ${d.minutes} min`,
  'responder-floor': (d) => `Ingen fri responder: mangler ${staffShort(d)} medarbejdere (${d.onShift} på vagt)`,
  'no-data': (d) => `Ingen hændelser i ${d.value} min, selvom der ventes besøg`,
  'payday-ahead': (d) => `Udbetaling ${d.date}: ca. ${d.value} indtag ventet, ${d.recommended} medarbejdere anbefalet, ${d.planned} planlagt`,
  'forecast-gap': (d) => `De næste ${d.hours} timer mangler ${d.value} medarbejdere i forhold til planen`,
  'wall-offline': (d) => `Vægskærm offline i ${d.value} min`,
};

/** An alert in words, Danish or English (any other locale gets English). */
export function alertTitle(rule: RuleId, detail: AlertDetail, locale = 'en'): string {
  return (locale.startsWith('da') ? DA : EN)[rule](detail);
}
