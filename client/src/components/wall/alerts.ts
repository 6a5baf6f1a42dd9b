import type { Alert } from '../../../../shared/alerts/schema';
import type { RuleId } from '../../../../shared/alerts/settings';
import { acknowledgedNow, titleOf } from '../alerts/words';

/** What the wall's alert banner shows of one alert (fed from the alerts store). */
export interface WallAlert {
  id: string;
  /** The rule that raised it (`data-rule` on the banner entry). */
  rule: RuleId;
  severity: 'warning' | 'critical';
  state: 'pending' | 'firing' | 'resolved';
  /** Already localised, from the alert's current figures, e.g. "Queue 7 waiting (limit 5)". */
  title: string;
  /** ISO instant it started firing. */
  since: string;
  /** Display name of whoever acknowledged it at its current severity, if anyone. */
  acknowledgedBy?: string | null;
}

/** The open warning and critical alerts as the banner words them. */
export function wallAlertsOf(active: readonly Alert[], locale: string): WallAlert[] {
  return active.flatMap((a) =>
    a.severity === 'info'
      ? []
      : [
          {
            id: a.id,
            rule: a.rule,
            severity: a.severity,
            state: a.state,
            title: titleOf(a, locale),
            since: a.firedAt ?? a.pendingAt,
            acknowledgedBy: acknowledgedNow(a) ? a.acknowledged!.by : null,
          },
        ],
  );
}
