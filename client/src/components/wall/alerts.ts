/**
 * What the wall's alert banner shows of one alert. The alert engine (its own issue) will feed
 * these from an alerts store; until then the wall gets an empty list and shows nothing.
 */
export interface WallAlert {
  id: string;
  severity: 'warning' | 'critical';
  state: 'pending' | 'firing' | 'resolved';
  /** Already localised, e.g. "Queue ≥ 5 for 3 min". */
  title: string;
  /** ISO instant it started firing. */
  since: string;
  /** Display name of whoever acknowledged it, if anyone. */
  acknowledgedBy?: string | null;
}
