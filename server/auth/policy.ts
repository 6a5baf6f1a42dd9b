import { roleAtLeast, type Role } from '../../shared/vocabulary';
import { createError } from '../errors';
import type { Principal } from './principal';

/** What a caller wants to do; each action needs a least role. */
export const ACTIONS = {
  /** Live state, snapshot, forecast, calendar, alerts list: wall screens and up. */
  'site:read': 'display',
  /** Wall screens report they are alive. */
  'display:heartbeat': 'display',
  /** Every floor command (booths, queue, staffing, incidents, registrations, undo). */
  'floor:write': 'staff',
  /** Acknowledge alerts, pair wall screens of their sites, open a closed room early. */
  'alert:ack': 'lead',
  'room:open-early': 'lead',
  /** Close a shift (handover) and read the alert history of their sites. */
  'handover:close': 'lead',
  'alert:history': 'lead',
  'display:pair': 'lead',
  /** History, reports, settings of their sites. */
  'history:read': 'manager',
  'settings:write': 'manager',
  /** Users, API tokens, audit log. */
  'admin': 'admin',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTIONS;

export function canSeeSite(p: Principal, siteId: string): boolean {
  return p.sites === '*' || p.sites.includes(siteId);
}

/**
 * The one authorisation decision for HTTP routes and socket subscriptions: throws 401/403/404.
 * A site outside the caller's scope answers 404 so site ids cannot be probed.
 */
export function authorize(p: Principal | undefined, action: Action, siteId?: string): Principal {
  if (!p) throw createError('unauthenticated', 'Sign in first', 401);
  if (siteId !== undefined && !canSeeSite(p, siteId)) throw createError('not_found', 'Site not found', 404);
  if (!roleAtLeast(p.role, ACTIONS[action])) throw createError('forbidden', 'Your role may not do this', 403);
  return p;
}
