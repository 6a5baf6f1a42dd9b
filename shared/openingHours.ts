import { z } from 'zod';
import { addDays, isoWeekday } from './calendar';
import { WEEKDAYS, type DatedHours, type OpeningHours, type Weekday } from './siteConfig';
import { zonedEpoch, zonedParts } from './zonedTime';

/** Minutes since midnight of an `HH:MM` time. */
export const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * Whether a room with these weekly opening hours is open at a local weekday and minute of the
 * day. A window whose `close` is not after `open` runs past midnight into the next weekday, as
 * the sites file documents. Dated closures and temporary hours are not seen here: use
 * `isRoomOpenOn` / `roomStatuses` for a room's real hours on a date.
 */
export function isOpenAt(hours: OpeningHours, weekday: Weekday, minute: number): boolean {
  if (hours === '24h') return true;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  return hours.some((w) => {
    const o = minutesOf(w.open);
    const c = minutesOf(w.close);
    if (c > o) return w.days.includes(weekday) && minute >= o && minute < c;
    // Overnight: from `open` to midnight on its days, and from midnight to `close` the day after.
    return (w.days.includes(weekday) && minute >= o) || (w.days.includes(yesterday) && minute < c);
  });
}

/** Share (0–1) of the local clock hour `hour` on `weekday` during which the room is open. */
export function openFraction(hours: OpeningHours, weekday: Weekday, hour: number): number {
  if (hours === '24h') return 1;
  let open = 0;
  for (let m = hour * 60; m < hour * 60 + 60; m++) if (isOpenAt(hours, weekday, m)) open++;
  return open / 60;
}

// ---- A room's real hours: the weekly pattern with dated closures and temporary hours ------------

/** What decides when a room is open: its weekly pattern and the dated entries on top of it. */
export interface RoomSchedule {
  openingHours: OpeningHours;
  datedHours?: readonly DatedHours[] | undefined;
}

const DAY = 1440;

/** The dated entry covering a calendar date, if any (entries never overlap: the schema refuses it). */
export const datedEntryOn = (room: RoomSchedule, date: string): DatedHours | undefined =>
  room.datedHours?.find((d) => d.from <= date && date <= d.to);

/**
 * The opening windows that begin on a local calendar date, as [start, end) in minutes from that
 * date's midnight; `end` passes 1440 for a window that runs into the next morning. The night
 * belongs to the date it began on: a closure dated the 24th still lets the 23rd's late window
 * run past midnight, and a dated window on the 24th may run into the 25th.
 */
export function windowsOn(room: RoomSchedule, date: string): Array<[number, number]> {
  const dated = datedEntryOn(room, date);
  const hours = dated ? dated.hours : room.openingHours;
  if (hours === 'closed') return [];
  if (hours === '24h') return [[0, DAY]];
  const weekday = WEEKDAYS[isoWeekday(date) - 1]!;
  const out: Array<[number, number]> = [];
  // Weekly windows name their weekdays; a dated entry's windows apply on each of its dates.
  const windows: ReadonlyArray<{ open: string; close: string; days?: readonly Weekday[] }> = hours;
  for (const w of windows) {
    if (w.days && !w.days.includes(weekday)) continue;
    const o = minutesOf(w.open);
    const c = minutesOf(w.close);
    out.push([o, c > o ? c : c + DAY]);
  }
  return out;
}

/** Whether the room is open at local `minute` (0–1439) of calendar `date`, dated entries included. */
export function isRoomOpenOn(room: RoomSchedule, date: string, minute: number): boolean {
  if (windowsOn(room, date).some(([s, e]) => minute >= s && minute < e)) return true;
  return windowsOn(room, addDays(date, -1)).some(([s, e]) => e > DAY && minute + DAY >= s && minute + DAY < e);
}

/** Share (0–1) of local clock hour `hour` of calendar `date` during which the room is open. */
export function openFractionOn(room: RoomSchedule, date: string, hour: number): number {
  let open = 0;
  for (let m = hour * 60; m < hour * 60 + 60; m++) if (isRoomOpenOn(room, date, m)) open++;
  return open / 60;
}

/** A lead opened a closed room early (`POST …/rooms/:roomId/open`): open until then, whatever the hours say. */
export const EarlyOpening = z.object({ until: z.string(), by: z.string() });
export type EarlyOpening = z.infer<typeof EarlyOpening>;

/**
 * Whether a room is open now and until / from when: part of every snapshot (`rooms`), computed
 * by the server at the snapshot's instant and by screens with the same function on the server's
 * clock, so both always agree. `closesAt` is absent for a room open round the clock (for at
 * least a week ahead); `opensAt` is absent while open, or when no opening lies within a year.
 */
export const RoomStatus = z.object({
  id: z.string(),
  open: z.boolean(),
  closesAt: z.string().optional(),
  opensAt: z.string().optional(),
  openedEarly: EarlyOpening.optional(),
});
export type RoomStatus = z.infer<typeof RoomStatus>;

/** Look this far ahead for a closing time (beyond it a room counts as open round the clock). */
const CLOSE_HORIZON_DAYS = 8;
/** …and this far for the next opening of a closed room (a rebuild may last months). */
const OPEN_HORIZON_DAYS = 370;

/*
 * Time-zone conversions are what cost here (a few Intl look-ups each), and the same few local
 * times are converted again on every snapshot and every screen refresh: both directions are
 * memoised, bounded.
 */
const memo = <V>(limit: number) => {
  const map = new Map<string, V>();
  return (key: string, make: () => V): V => {
    let v = map.get(key);
    if (v === undefined) {
      if (map.size >= limit) map.clear();
      map.set(key, (v = make()));
    }
    return v;
  };
};
const epochMemo = memo<number>(4_000);
const localMemo = memo<{ date: string; minute: number }>(1_000);

const epochOf = (date: string, minute: number, timeZone: string): number =>
  // 'compatible': a time skipped by a spring DST change counts from the moment after the gap.
  epochMemo(`${timeZone}|${date}|${minute}`, () => zonedEpoch(addDays(date, Math.floor(minute / DAY)), minute % DAY, timeZone));

/** The local calendar date and minute of the day (0–1439) of an instant in a zone. */
export const localTimeOf = (epochMs: number, timeZone: string): { date: string; minute: number } =>
  localMemo(`${timeZone}|${Math.floor(epochMs / 60_000)}`, () => {
    const z = zonedParts(epochMs, timeZone);
    return { date: z.date, minute: z.hour * 60 + z.minute };
  });

/** The local calendar date of an instant in a zone. */
export const localDateOf = (epochMs: number, timeZone: string): string => localTimeOf(epochMs, timeZone).date;

/** Open intervals (epoch ms) of windows beginning on dates `from` … `from + days − 1`, merged. */
function intervals(room: RoomSchedule, timeZone: string, from: string, days: number, extra: Array<[number, number]>): Array<[number, number]> {
  const list: Array<[number, number]> = [...extra];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    for (const [s, e] of windowsOn(room, date)) list.push([epochOf(date, s, timeZone), epochOf(date, e, timeZone)]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const iv of list) {
    const last = merged.at(-1);
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/**
 * The status of one room at `now`: its schedule (weekly pattern and dated entries) plus an
 * early opening that has not run out. Pure: the same inputs give the same answer on the server
 * and on every screen.
 */
export function roomStatusAt(room: RoomSchedule & { id: string }, timeZone: string, now: number, early?: EarlyOpening | null): RoomStatus {
  const today = localDateOf(now, timeZone);
  const until = early ? Date.parse(early.until) : NaN;
  const extra: Array<[number, number]> = Number.isFinite(until) && until > now ? [[now, until]] : [];
  const start = addDays(today, -1);
  const near = intervals(room, timeZone, start, CLOSE_HORIZON_DAYS + 2, extra);
  const horizonEnd = epochOf(addDays(start, CLOSE_HORIZON_DAYS + 2), 0, timeZone);
  const status: RoomStatus = { id: room.id, open: false };
  const current = near.find(([s, e]) => s <= now && now < e);
  if (current) {
    status.open = true;
    if (extra.length) status.openedEarly = early!;
    if (current[1] < horizonEnd) status.closesAt = new Date(current[1]).toISOString();
    return status;
  }
  const next = near.find(([s]) => s > now);
  if (next) {
    status.opensAt = new Date(next[0]).toISOString();
    return status;
  }
  // Closed for longer (a rebuild): the first date with any window, scanning without time zones first.
  for (let i = CLOSE_HORIZON_DAYS + 1; i < OPEN_HORIZON_DAYS; i++) {
    const date = addDays(start, i);
    const windows = windowsOn(room, date);
    if (windows.length === 0) continue;
    status.opensAt = new Date(Math.min(...windows.map(([s]) => epochOf(date, s, timeZone)))).toISOString();
    break;
  }
  return status;
}

/** Every room's status at `now`, in the rooms' order; `early` holds the early openings by room id. */
export function roomStatuses(
  rooms: ReadonlyArray<RoomSchedule & { id: string }>,
  timeZone: string,
  now: number,
  early: Readonly<Record<string, EarlyOpening | undefined>> = {},
): RoomStatus[] {
  return rooms.map((r) => roomStatusAt(r, timeZone, now, early[r.id] ?? null));
}

/** Whether the room's schedule alone (no early opening) has it open at `now`. */
export function scheduleOpenAt(room: RoomSchedule, timeZone: string, now: number): boolean {
  const { date, minute } = localTimeOf(now, timeZone);
  return isRoomOpenOn(room, date, minute);
}
