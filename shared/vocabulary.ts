import { z } from 'zod';

/** What was used in one intake. Never anything about the person. */
export const Substance = z.enum(['cocaine', 'heroin', 'amphetamine', 'opioid_other', 'mixed', 'other', 'unknown']);
export type Substance = z.infer<typeof Substance>;
export const SUBSTANCES = Substance.options;

/** How it was taken. */
export const Route = z.enum(['injection', 'inhalation', 'other']);
export type Route = z.infer<typeof Route>;
export const ROUTES = Route.options;

/** A room holds booths of one kind. */
export const RoomKind = z.enum(['injection', 'inhalation']);
export type RoomKind = z.infer<typeof RoomKind>;

/** The booth state machine's states (see `boothMachine.ts`). */
export const BoothState = z.enum(['free', 'occupied', 'cleaning', 'out_of_service']);
export type BoothState = z.infer<typeof BoothState>;

export const IncidentKind = z.enum(['overdose', 'medical', 'other']);
export type IncidentKind = z.infer<typeof IncidentKind>;
export const INCIDENT_KINDS = IncidentKind.options;

/** Roles in ascending order of power. */
export const Role = z.enum(['display', 'staff', 'lead', 'manager', 'admin']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

/** True when `role` has at least the powers of `least`. */
export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}
