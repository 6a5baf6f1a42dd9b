import { zonedParts, type ZonedParts } from '../../../../shared/zonedTime';

/** Wall-clock parts of an instant in the site's time zone (no Temporal needed for this). */
export type SiteClock = ZonedParts;

export const siteClock = (epochMs: number, timeZone: string | undefined): SiteClock => zonedParts(epochMs, timeZone);
