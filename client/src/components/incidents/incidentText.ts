import type { Booth } from '../../../../shared/api';
import type { Incident } from '../../../../shared/incidents';
import { formatElapsed } from '../../format';

type Translate = (key: string, named: Record<string, unknown>, plural?: number) => string;

/** Where an incident is, as staff say it: "Injektion 3", or "no place". */
export function incidentPlace(t: Translate, i: Pick<Incident, 'boothId'>, booths: readonly Booth[]): string {
  const b = i.boothId ? booths.find((x) => x.id === i.boothId) : undefined;
  if (!b) return i.boothId ?? t('incidents.noPlace', {});
  return `${t(`roomKind.${b.kind}`, {})} ${b.label}`;
}

/** How long an incident has been open (mm:ss, minutes past 59 keep counting). */
export const incidentElapsed = (i: Pick<Incident, 'openedAt'>, serverNow: number): string => formatElapsed(serverNow - Date.parse(i.openedAt));

/** "2 open · longest 12:34", for a figure's sub-line (empty when none is open). */
export function openIncidentsText(t: Translate, open: readonly Incident[], serverNow: number): string {
  if (open.length === 0) return '';
  const oldest = open.reduce((a, b) => (a.openedAt <= b.openedAt ? a : b));
  return t('incidents.openCount', { n: open.length, time: incidentElapsed(oldest, serverNow) }, open.length);
}
