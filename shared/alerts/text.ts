import type { RuleId, Severity } from './settings';
import type { AlertDetail } from './schema';

type Words = (d: AlertDetail, limit: string | number | undefined) => string;

/** Whole people missing for enough free responders (the rule's value is free responders, below the threshold). */
const staffShort = (d: AlertDetail) => Math.max(1, Math.ceil(Number(d.threshold ?? 1) - Number(d.value)));
const nobody = (d: AlertDetail) => Number(d.onShift) === 0;
/** The place as staff say it: the room's name and the place's label, since labels repeat across rooms. */
const place = (d: AlertDetail, word: string) => (d.room ? `${d.room}, ${word} ${d.booth}` : `${word} ${d.booth}`);
const noPlan = (d: AlertDetail) => d.planned === undefined || d.planned === '–';
/** A count with its noun in the right number: "1 place", "2 places"; Danish "1 medarbejder", "2 medarbejdere". */
const n = (count: unknown, one: string, many: string) => `${count} ${Number(count) === 1 ? one : many}`;

const EN: Record<RuleId, Words> = {
  'booths-per-staff': (d, limit) =>
    nobody(d) ? `${n(d.occupied, 'place', 'places')} occupied and nobody on shift` : `${d.value} occupied places per staff member (limit ${limit})`,
  occupancy: (d, limit) => `Occupancy ${d.value} % of open places (limit ${limit} %)`,
  queue: (d, limit) => `Queue ${d.value} waiting (limit ${limit})`,
  overstay: (d) => `Welfare check: ${place(d, 'place')} occupied ${d.value} min (max ${d.threshold})`,
  'overdose-cluster': (d) => `${d.value} overdoses within ${d.minutes} min`,
  'responder-floor': (d) =>
    nobody(d)
      ? `No free responder: nobody on shift (${n(d.occupied, 'place', 'places')} occupied)`
      : `No free responder: ${staffShort(d)} more staff needed (${d.onShift} on shift)`,
  'no-data': (d) => `No events for ${d.value} min although traffic is expected`,
  // Short: the wall's banner has one line for its worst alert, read from across the room.
  'payday-ahead': (d) =>
    noPlan(d)
      ? `Payday ${d.date}: ≈${d.value} intakes, ${d.recommended} staff recommended (no plan)`
      : `Payday ${d.date}: ≈${d.value} intakes, ${d.recommended} staff recommended, ${d.planned} planned`,
  'forecast-gap': (d) =>
    d.basis === 'onShift' ? `Next ${d.hours} h need ${d.value} more staff than are on shift now` : `Next ${d.hours} h need ${d.value} more staff than planned`,
  'wall-offline': (d) => `Wall screen “${d.screen}” offline for ${d.value} min`,
};

const DA: Record<RuleId, Words> = {
  'booths-per-staff': (d, limit) =>
    nobody(d) ? `${n(d.occupied, 'plads', 'pladser')} optaget og ingen på vagt` : `${d.value} optagne pladser pr. medarbejder (grænse ${limit})`,
  occupancy: (d, limit) => `Belægning ${d.value} % af åbne pladser (grænse ${limit} %)`,
  queue: (d, limit) => `Kø: ${d.value} venter (grænse ${limit})`,
  overstay: (d) => `Tilsyn: ${place(d, 'plads')} optaget i ${d.value} min (maks. ${d.threshold})`,
  'overdose-cluster': (d) => `${n(d.value, 'overdosis', 'overdoser')} inden for ${d.minutes} min`,
  'responder-floor': (d) =>
    nobody(d)
      ? `Ingen fri responder: ingen på vagt (${n(d.occupied, 'plads', 'pladser')} optaget)`
      : `Ingen fri responder: mangler ${n(staffShort(d), 'medarbejder', 'medarbejdere')} (${d.onShift} på vagt)`,
  'no-data': (d) => `Ingen hændelser i ${d.value} min, selvom der ventes besøg`,
  'payday-ahead': (d) =>
    noPlan(d)
      ? `Udbetaling ${d.date}: ≈${d.value} indtag, anbefalet ${d.recommended} på vagt (ingen plan)`
      : `Udbetaling ${d.date}: ≈${d.value} indtag, anbefalet ${d.recommended} på vagt, ${d.planned} planlagt`,
  'forecast-gap': (d) =>
    d.basis === 'onShift'
      ? `De næste ${d.hours} timer mangler ${n(d.value, 'medarbejder', 'medarbejdere')} i forhold til dem på vagt nu`
      : `De næste ${d.hours} timer mangler ${n(d.value, 'medarbejder', 'medarbejdere')} i forhold til planen`,
  'wall-offline': (d) => `Vægskærm “${d.screen}” offline i ${d.value} min`,
};

/**
 * An alert in words, Danish or English (any other locale gets English). The limit named is the
 * one of the alert's severity: a critical queue alert says "limit 10", not the warning's 5.
 */
export function alertTitle(rule: RuleId, detail: AlertDetail, locale = 'en', severity?: Severity): string {
  const limit = severity === 'critical' && detail.critical !== undefined ? detail.critical : detail.threshold;
  return (locale.startsWith('da') ? DA : EN)[rule](detail, limit);
}
