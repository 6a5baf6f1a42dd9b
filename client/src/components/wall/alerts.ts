import type { RuleId } from '../../../../shared/alerts/settings';

/** What the wall's alert banner shows of one alert (fed from the alerts store). */
export interface WallAlert {
  id: string;
  /** The rule that raised it (`data-rule` on the banner entry). */
  rule: RuleId;
  severity: 'warning' | 'critical';
  state: 'pending' | 'firing' | 'resolved';
  /** Already localised, e.g. "Queue ≥ 5 for 3 min". */
  title: string;
  /** ISO instant it started firing. */
  since: string;
  /** Display name of whoever acknowledged it, if anyone. */
  acknowledgedBy?: string | null;
}
