import { addDays } from '../../shared/calendar';
import type { BacktestResult } from '../../shared/alerts/schema';
import { alertSettingsOf, type RuleId } from '../../shared/alerts/settings';
import { COUNTER_FIELD } from '../../shared/counters';
import { isRoomOpenOn } from '../../shared/openingHours';
import { plannedStaff, calendarDateOf } from '../../shared/forecast';
import { businessSlot } from '../../shared/businessTime';
import { errors } from '../errors';
import type { SiteEntry } from '../sites/sites.registry';
import type { AlertRepository } from './alert.repository';

const F = { occ: COUNTER_FIELD.peakOccupied, queue: COUNTER_FIELD.peakQueue, overdose: COUNTER_FIELD.incident('overdose'), intakes: COUNTER_FIELD.intakes };

/** What one rule's hourly replay measures, and what it cannot know. */
const REPLAY: Partial<Record<RuleId, { fields: string[]; note: string }>> = {
  queue: { fields: [F.queue], note: 'Uses each hour\'s peak queue: it cannot tell how long the peak lasted, so it counts hours the threshold was reached at all (an upper bound for the pending period).' },
  occupancy: { fields: [F.occ], note: 'Uses each hour\'s peak occupied booths over the booths of the rooms open that hour (out-of-service booths are not in the history, so they count as open): an upper bound.' },
  'booths-per-staff': { fields: [F.occ], note: 'Staff on shift is not kept per hour: the peak occupied booths are divided by the staffing plan, so this answers only as well as the plan matched reality.' },
  'overdose-cluster': { fields: [F.overdose], note: 'Counts overdoses per clock hour: two in one hour always count, but a pair either side of an hour boundary is missed unless the threshold is 1 — a lower bound.' },
  'responder-floor': { fields: [F.occ, F.overdose], note: 'Planned staff − peak occupied ÷ booths per observer − staff per overdose × that hour\'s overdoses; real staff on shift is not kept per hour.' },
  'no-data': { fields: [F.intakes], note: 'Counts open hours without any intake: a whole silent hour, not a 30-minute gap, so short outages are missed.' },
};

/**
 * How often a rule would have fired at `threshold` over the last `days` business days of the
 * per-hour counters. Runs of consecutive hours over the threshold count as one alert.
 */
export async function backtest(repo: AlertRepository, site: SiteEntry, rule: RuleId, threshold: number, days: number, now: number): Promise<BacktestResult> {
  const how = REPLAY[rule];
  if (!how) throw errors.invalid([{ path: 'rule', message: `${rule} depends on live state the hourly history does not keep; it cannot be replayed` }]);
  const { timeZone, businessDayStart } = site.config;
  const today = businessSlot(now, timeZone, businessDayStart).date;
  const from = addDays(today, -days);
  const slots: Array<{ date: string; hour: number }> = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(from, d);
    for (let i = 0; i < 24; i++) slots.push({ date, hour: (businessDayStart + i) % 24 });
  }
  const rows = await repo.hourCounters(site.config.id, slots, how.fields);
  const s = alertSettingsOf(site.config.alerts).rules;
  let hoursWithData = 0;
  let hoursOver = 0;
  let episodes = 0;
  let inRun = false;
  slots.forEach((slot, i) => {
    const row = rows[i];
    const calDate = calendarDateOf(slot.date, slot.hour, businessDayStart);
    const openRooms = site.info.rooms.filter((r) => isRoomOpenOn(r, calDate, slot.hour * 60 + 30));
    const openBooths = openRooms.reduce((n, r) => n + r.booths.length, 0);
    const planned = plannedStaff(site.config.staffingPlan, calDate, slot.hour);
    let over = false;
    if (row) hoursWithData++;
    const v = (f: string) => row?.[f] ?? 0;
    switch (rule) {
      case 'queue':
        over = openBooths > 0 && v(F.queue) >= threshold;
        break;
      case 'occupancy':
        over = openBooths > 0 && v(F.occ) / openBooths >= threshold;
        break;
      case 'booths-per-staff':
        over = openBooths > 0 && planned !== null && v(F.occ) > 0 && (planned === 0 || v(F.occ) / planned > threshold);
        break;
      case 'overdose-cluster':
        over = v(F.overdose) >= threshold;
        break;
      case 'responder-floor': {
        const r = s['responder-floor'];
        over = planned !== null && v(F.occ) > 0 && planned - v(F.occ) / r.boothsPerObserver - r.staffPerOverdose * v(F.overdose) < threshold;
        break;
      }
      case 'no-data':
        over = openBooths > 0 && row !== null && v(F.intakes) === 0 && threshold <= 60;
        break;
    }
    if (over) hoursOver++;
    if (over && !inRun) episodes++;
    inRun = over;
  });
  const notes = [how.note];
  if (hoursWithData === 0) notes.push('No history in this period.');
  if ((rule === 'booths-per-staff' || rule === 'responder-floor') && !site.config.staffingPlan) notes.push('This site has no staffing plan, so nothing could be replayed.');
  return { rule, threshold, from, to: addDays(today, -1), hoursReplayed: slots.length, hoursWithData, hoursOver, episodes, notes };
}
