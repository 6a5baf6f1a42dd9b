import { z } from 'zod';
import { sessionParams } from '../../shared/sessionModel';
import type { Substance } from '../../shared/vocabulary';

/**
 * The simulator's named parameters, calibrated to PRODUCT.md ("Numbers for a realistic
 * simulator"). Values marked "assumed" are not in the brief and are our own estimates.
 */
export const SIM = {
  /**
   * Lognormal sessions ended at the cap (median 18 / mean 20 / cap 30 injection, 10 / 12 / 20
   * smoking): `shared/sessionModel.ts`, which the forecast's default mean session comes from too.
   */
  session: { injection: sessionParams('injection'), inhalation: sessionParams('inhalation') },
  /** Cleaning after a check-out, minutes (assumed). */
  cleaningMinutes: { min: 1.5, max: 4 },
  /** Three in four users take cocaine (PRODUCT.md); the rest split as assumed. */
  substances: { cocaine: 75, heroin: 10, amphetamine: 4, opioid_other: 4, mixed: 4, other: 2, unknown: 1 } satisfies Record<Substance, number>,
  /** Share of injections that are assisted (assumed). */
  assistedShare: 0.03,
  /** Chance a cocaine user comes back to re-dose, and when (minutes after leaving). */
  redose: { chance: 0.35 /* assumed */, minMinutes: 30, maxMinutes: 90 },
  /** Walk-aways: the chance of having left rises linearly from 0 at 5 min wait to 50 % at 30 min, then stays. */
  walkAway: { fromMinutes: 5, toMinutes: 30, maxShare: 0.5 },
  /** Overdoses per use; ×2 on payday and the two days after; the fentanyl scenario 10 per 1,000. */
  overdose: { perUse: 1 / 1000, paydayFactor: 2, fentanylPerUse: 10 / 1000, naloxoneShare: 0.6, ambulanceShare: 0.1 },
  /** An overdose keeps the booth (and two staff) busy 15–30 min after it starts. */
  overdoseResponseMinutes: { min: 15, max: 30 },
  /** Other medical emergencies per use (assumed). */
  medicalPerUse: 0.5 / 1000,
  /** New anonymous registrations per day (3,090 in about three years ≈ 3 a day). */
  registrationsPerDay: 3,
  /** Chance the hour's planned staffing is one short (sick call, break; assumed). */
  staffShortChance: 0.15,
} as const;

export const Scenario = z.enum(['normal', 'payday', 'fentanyl']);
export type Scenario = z.infer<typeof Scenario>;

/**
 * Uses per first visit: a cocaine user re-doses with probability p, and again after that, so
 * gives 1/(1 − p) uses; others one. Arrivals are scaled by its inverse to hit the day's volume.
 */
export function usesPerFirstVisit(redoseChance: number = SIM.redose.chance): number {
  const weights = Object.values(SIM.substances) as number[];
  const cocaine = SIM.substances.cocaine / weights.reduce((a, b) => a + b, 0);
  return 1 - cocaine + cocaine / (1 - redoseChance);
}
