import type { SiteInfo, Snapshot } from './api';
import type { RoomKind } from './vocabulary';

/**
 * Session times of PRODUCT.md ("Numbers for a realistic simulator"), in one place for the
 * simulator (which draws from it), the forecast (whose default mean session is computed from
 * it) and the wait every screen estimates (`siteSessionMinutes`, below), so they cannot disagree.
 *
 * Each kind is a lognormal with the documented median and a spread chosen so the lognormal's own
 * mean is the documented mean (σ = √(2 ln(mean / median))); a session still running at the
 * maximum session time (the cap) is ended there by staff. The cap pulls the mean down a little:
 * for a capped lognormal with median 18 and cap 30 the mean cannot exceed 18.9 minutes whatever
 * the spread (11.1 for median 10 and cap 20), so "about 20" and "about 12" are met as closely as
 * a capped lognormal allows. `cappedMean` is what both sides use.
 */
export const SESSION_MODEL: Readonly<Record<RoomKind, { median: number; mean: number; cap: number }>> = {
  injection: { median: 18, mean: 20, cap: 30 },
  inhalation: { median: 10, mean: 12, cap: 20 },
};

/** σ of the log of a lognormal with this median and (uncapped) mean. */
export const lognormalSigma = (median: number, mean: number): number => Math.sqrt(2 * Math.log(mean / median));

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** E[min(X, cap)] for X lognormal with `median` and log-spread `sigma`. */
export function cappedLognormalMean(median: number, sigma: number, cap: number): number {
  const mu = Math.log(median);
  const lc = Math.log(cap);
  return Math.exp(mu + (sigma * sigma) / 2) * normalCdf((lc - mu - sigma * sigma) / sigma) + cap * (1 - normalCdf((lc - mu) / sigma));
}

/** Share of sessions a capped lognormal ends exactly at the cap. */
export const shareAtCap = (median: number, sigma: number, cap: number): number => 1 - normalCdf(Math.log(cap / median) / sigma);

/** The drawing parameters and the resulting mean session minutes of a kind. */
export function sessionParams(kind: RoomKind): { median: number; sigma: number; cap: number; mean: number } {
  const m = SESSION_MODEL[kind];
  const sigma = lognormalSigma(m.median, m.mean);
  return { median: m.median, sigma, cap: m.cap, mean: cappedLognormalMean(m.median, sigma, m.cap) };
}

/** Mean session minutes of a kind without history: the model's capped mean (18.8 injection, 11.0 smoking). */
export const DEFAULT_SESSION_MINUTES: Readonly<Record<RoomKind, number>> = {
  injection: sessionParams('injection').mean,
  inhalation: sessionParams('inhalation').mean,
};

/**
 * Check-outs the day's own mean needs before it weighs as much as the prior. Taken alone, the
 * first check-out of the morning (a quick one, or a check-in tapped by mistake and checked out at
 * once) would set the wait for a queue of 15 at "none"; at Skyen's 500–900 intakes a day the
 * measured mean carries most of the weight within the first hour.
 */
export const SESSION_PRIOR_CHECKOUTS = 10;

/**
 * The mean session minutes a site's wait is estimated with, the same on the wall, the overview,
 * the network and `/open`: the day's check-outs and `prior` (the forecast's mean when the caller
 * has one, else the session model's means by the site's places) pooled, the prior counting as
 * `SESSION_PRIOR_CHECKOUTS` check-outs.
 */
export function siteSessionMinutes(site: Pick<SiteInfo, 'rooms'>, snapshot: Pick<Snapshot, 'counters'>, prior = typicalSessionMinutes(site)): number {
  const c = snapshot.counters;
  if (!(c.checkouts > 0)) return prior;
  return (Math.max(0, c.sessionMinutesTotal) + SESSION_PRIOR_CHECKOUTS * prior) / (c.checkouts + SESSION_PRIOR_CHECKOUTS);
}

/** The session model's mean minutes (PRODUCT.md), weighted by the site's places of each kind. */
export function typicalSessionMinutes(site: Pick<SiteInfo, 'rooms'>): number {
  let places = 0;
  let sum = 0;
  for (const r of site.rooms) {
    places += r.booths.length;
    sum += r.booths.length * DEFAULT_SESSION_MINUTES[r.kind];
  }
  return places > 0 ? sum / places : DEFAULT_SESSION_MINUTES.injection;
}
