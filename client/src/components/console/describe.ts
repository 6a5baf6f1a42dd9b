import type { Booth, SiteInfo } from '../../../../shared/api';
import { clockOf } from '../rooms/roomStatusText';
import type { ConsoleCommand } from '../../stores/outboxQueue';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** A place as staff say it: room kind and label ("Injection 4"), since labels repeat across rooms. */
export function placeName(t: Translate, booth: Pick<Booth, 'kind' | 'label'>): string {
  return `${t(`roomKind.${booth.kind}`)} ${booth.label}`;
}

function labelOf(t: Translate, booths: readonly Booth[], id: string | undefined): string {
  const b = booths.find((x) => x.id === id);
  return b ? placeName(t, b) : (id ?? '');
}

/** A short line saying what a command records ("Inj 2 checked in · Cocaine"). */
export function describeCommand(t: Translate, locale: string, c: ConsoleCommand, booths: readonly Booth[], site?: Pick<SiteInfo, 'rooms' | 'timeZone'>): string {
  switch (c.kind) {
    case 'check-in':
      return t('console.did.check-in', { booth: labelOf(t, booths, c.boothId), substance: t(`substance.${c.body.substance}`) });
    case 'check-out':
    case 'cleaned':
    case 'out-of-service':
    case 'back-in-service':
      return t(`console.did.${c.kind}`, { booth: labelOf(t, booths, c.boothId) });
    case 'queue':
      return c.op === 'leave' && c.sentTo ? t('network.didSend', { site: c.sentToName ?? c.sentTo }) : t(`console.did.${c.op}`);
    case 'staffing':
      return t('console.did.staffing', { n: c.onShift });
    case 'incident': {
      const kind = t(`console.incidentKind.${c.body.kind}`);
      return t('console.did.incident', { kind }) + (c.body.boothId ? ` · ${labelOf(t, booths, c.body.boothId)}` : '');
    }
    case 'registration':
      return t('console.did.registration');
    case 'incident-close':
      return t('console.did.incident-close', { outcome: t(`incidents.outcome.${c.body.outcome}`) });
    case 'room-open':
    case 'room-close':
      return t(`console.did.${c.kind}`, {
        room: site?.rooms.find((r) => r.id === c.roomId)?.name ?? c.roomId,
        time: c.kind === 'room-open' ? clockOf(c.until, locale, site?.timeZone) : '',
      });
    case 'undo':
      return t('console.did.undo');
  }
}
