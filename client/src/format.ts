/** Elapsed time as mm:ss; minutes keep counting past 59 (a 75-minute stay reads 75:00). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** Clock time (hh:mm:ss) in the site's zone, so a remote viewer reads the floor's own clock. */
export function formatClock(epochMs: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(epochMs);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Time of day (hh:mm) in the site's zone, as the language writes it: 23:30, Danish 23.30 (as the wall's clock). */
export function formatTimeOfDay(epochMs: number, locale: string, timeZone?: string): string {
  const key = `${locale}|${timeZone ?? ''}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })));
  return f.format(epochMs);
}

/** A business date (YYYY-MM-DD) as a readable local date; it is a calendar date, so UTC avoids shifts. */
export function formatBusinessDate(date: string, locale: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(ms);
}

/** Occupied places per staff member with one decimal, or null when nobody is on shift. */
export function perStaff(occupied: number, onShift: number): number | null {
  return onShift > 0 ? Math.round((occupied / onShift) * 10) / 10 : null;
}

/**
 * Today's intakes against the forecast so far, short enough for the wall's figure header:
 * "+12 %", "−40 %", "±0 %"; three times the expected or more as "×26" (just after the business
 * day starts the expected count is small, and "+2557 %" overflowed its box); null under half an
 * expected intake, where a comparison says nothing.
 */
export function expectedDelta(actual: number, expected: number | null, locale: string): string | null {
  if (expected === null || expected < 0.5) return null;
  const ratio = actual / expected;
  if (ratio >= 3) return `×${new Intl.NumberFormat(locale, { maximumFractionDigits: ratio < 10 ? 1 : 0 }).format(ratio)}`;
  const pct = Math.round((ratio - 1) * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)} %`;
}
