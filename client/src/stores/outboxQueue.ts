import { CommandResult, ErrorBody, type Booth, type CheckInBody, type IncidentBody, type OutOfServiceReason, type Snapshot } from '../../../shared/api';
import type { IncidentCloseBody } from '../../../shared/incidents';
import { nextBoothState, type BoothCommand } from '../../../shared/boothMachine';

/*
 * Pure logic of the console's offline outbox: what a command sends, the order entries go out
 * in, what each reply means for the outbox, and the optimistic floor (the last known state with
 * the unsent commands applied on top). No Vue, no IndexedDB, no fetch: the store does the I/O.
 */

/** One thing a member of staff recorded, as kept in the outbox until the server has it. */
export type ConsoleCommand =
  | { kind: 'check-in'; boothId: string; body: CheckInBody }
  | { kind: 'check-out' | 'cleaned' | 'back-in-service'; boothId: string }
  | { kind: 'out-of-service'; boothId: string; reason: OutOfServiceReason }
  /** `sentTo`: a walk-away staff sent to another site of the network (`sentToName` is for the screen only). */
  | { kind: 'queue'; op: 'join' | 'leave'; sentTo?: string; sentToName?: string }
  | { kind: 'staffing'; onShift: number }
  | { kind: 'incident'; body: IncidentBody }
  | { kind: 'registration' }
  /** Closes an open incident with its outcome. */
  | { kind: 'incident-close'; incidentId: string; body: IncidentCloseBody }
  /** A lead opens a closed room now until `until` (ISO), or ends that early opening. */
  | { kind: 'room-open'; roomId: string; until: string }
  | { kind: 'room-close'; roomId: string }
  /** Reverses one's own earlier action by its seq (see `POST /api/sites/:siteId/undo`). */
  | { kind: 'undo'; seq: number };

export type EntryState = 'pending' | 'conflict' | 'rejected';

/** Why the server did not take an entry; kept and shown until someone dismisses it. */
export interface EntryProblem {
  status: number;
  code: string;
  /** The floor as the server saw it when it refused (from a 409's `details.current`). */
  current?: CommandResult;
}

export interface OutboxEntry {
  /** Also the entry's Idempotency-Key: a replay of the same entry can only apply once. */
  id: string;
  siteId: string;
  /** Send order: creation time in ms plus a fraction that breaks ties within one ms. */
  order: number;
  createdAt: number;
  command: ConsoleCommand;
  state: EntryState;
  problem?: EntryProblem;
}

/** A command the server has applied (it has a seq), until the live floor shows that seq. */
export interface ConfirmedCommand {
  command: ConsoleCommand;
  seq: number;
}

export interface CommandRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
}

/** The HTTP request of a command (paths and bodies of the public contract). */
export function requestOf(siteId: string, c: ConsoleCommand): CommandRequest {
  const site = `/api/sites/${encodeURIComponent(siteId)}`;
  const booth = (id: string, what: BoothCommand) => `${site}/booths/${encodeURIComponent(id)}/${what}`;
  switch (c.kind) {
    case 'check-in':
      return { method: 'POST', path: booth(c.boothId, 'check-in'), body: c.body };
    case 'out-of-service':
      return { method: 'POST', path: booth(c.boothId, 'out-of-service'), body: { reason: c.reason } };
    case 'check-out':
    case 'cleaned':
    case 'back-in-service':
      return { method: 'POST', path: booth(c.boothId, c.kind), body: {} };
    case 'queue':
      return { method: 'POST', path: `${site}/queue`, body: c.op === 'leave' && c.sentTo ? { op: c.op, sentTo: c.sentTo } : { op: c.op } };
    case 'staffing':
      return { method: 'PUT', path: `${site}/staffing`, body: { onShift: c.onShift } };
    case 'incident':
      return { method: 'POST', path: `${site}/incidents`, body: c.body };
    case 'registration':
      return { method: 'POST', path: `${site}/registrations`, body: {} };
    case 'incident-close':
      return { method: 'POST', path: `${site}/incidents/${encodeURIComponent(c.incidentId)}/close`, body: c.body };
    case 'room-open':
      return { method: 'POST', path: `${site}/rooms/${encodeURIComponent(c.roomId)}/open`, body: { until: c.until } };
    case 'room-close':
      return { method: 'POST', path: `${site}/rooms/${encodeURIComponent(c.roomId)}/close`, body: {} };
    case 'undo':
      return { method: 'POST', path: `${site}/undo`, body: { seq: c.seq } };
  }
}

/** What one send attempt came to. */
export type SendOutcome =
  | { kind: 'ok'; result: CommandResult }
  /** No answer, or the server could not reach its store: keep the entry and try again later. */
  | { kind: 'unreachable' }
  /** Signed out: keep the entry, stop, and ask the person to sign in. */
  | { kind: 'unauthenticated' }
  /** The server refused (409 with the current state, or another 4xx): keep it visible. */
  | { kind: 'conflict' | 'rejected'; problem: EntryProblem };

/**
 * Reads a reply: `status` 0 means the request never got an answer (fetch threw).
 * 5xx other than 503 is also treated as "try again": the command may not have applied, and its
 * Idempotency-Key makes a repeat harmless if it did.
 */
export function classify(status: number, body: unknown): SendOutcome {
  if (status >= 200 && status < 300) {
    const r = CommandResult.safeParse(body);
    return r.success ? { kind: 'ok', result: r.data } : { kind: 'unreachable' };
  }
  if (status === 0 || status === 503 || status >= 500 || status === 429) return { kind: 'unreachable' };
  if (status === 401) return { kind: 'unauthenticated' };
  const err = ErrorBody.safeParse(body);
  const code = err.success ? err.data.error.code : `http_${status}`;
  const problem: EntryProblem = { status, code };
  if (status === 409 && err.success) {
    const details = err.data.error.details as { current?: unknown } | undefined;
    const current = CommandResult.safeParse(details?.current);
    if (current.success) problem.current = current.data;
  }
  return { kind: status === 409 ? 'conflict' : 'rejected', problem };
}

/** Entries in send order (order, then id, so every tab and every reload agrees). */
export function sortEntries(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return [...entries].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The entry to send next: the oldest one still pending. Refused entries do not block the rest. */
export function nextToSend(entries: readonly OutboxEntry[]): OutboxEntry | undefined {
  return sortEntries(entries).find((e) => e.state === 'pending');
}

export interface Settled {
  entries: OutboxEntry[];
  /** The entry as it now stands (undefined when it left the outbox). */
  entry: OutboxEntry | undefined;
  /** Whether to go on with the next entry now. */
  proceed: boolean;
}

/** Applies a send outcome to the outbox: a sent entry leaves it, a refused one stays, marked. */
export function settle(entries: readonly OutboxEntry[], id: string, outcome: SendOutcome): Settled {
  const index = entries.findIndex((e) => e.id === id);
  if (index < 0) return { entries: [...entries], entry: undefined, proceed: outcome.kind === 'ok' };
  switch (outcome.kind) {
    case 'ok':
      return { entries: entries.filter((e) => e.id !== id), entry: undefined, proceed: true };
    case 'unreachable':
    case 'unauthenticated':
      return { entries: [...entries], entry: entries[index], proceed: false };
    case 'conflict':
    case 'rejected': {
      const entry: OutboxEntry = { ...entries[index]!, state: outcome.kind, problem: outcome.problem };
      return { entries: entries.map((e) => (e.id === id ? entry : e)), entry, proceed: true };
    }
  }
}

/** The booth a command is about, if any. */
export function boothOf(c: ConsoleCommand): string | undefined {
  if ('boothId' in c) return c.boothId;
  if (c.kind === 'incident') return c.body.boothId;
  return undefined;
}

const bump = <K extends string>(m: Record<K, number>, k: K, by = 1): Record<K, number> => ({ ...m, [k]: m[k] + by });

/**
 * The floor after `c`, as the server would make it, or null when the command does not apply to
 * this state (it would meet a conflict). Counters are approximated the way the server counts;
 * the next real snapshot replaces all of it.
 */
export function applyCommand(s: Snapshot, c: ConsoleCommand, atIso: string): Snapshot | null {
  let counters = s.counters;
  switch (c.kind) {
    case 'check-in':
    case 'check-out':
    case 'cleaned':
    case 'out-of-service':
    case 'back-in-service': {
      const booth = s.booths.find((b) => b.id === c.boothId);
      const to = booth ? nextBoothState(booth.state, c.kind) : null;
      if (!booth || !to) return null;
      let { queue, occupied } = s;
      const next: Booth = { ...booth, state: to, since: atIso, substance: null, route: null, assisted: false, reason: null };
      if (c.kind === 'check-in') {
        Object.assign(next, { substance: c.body.substance, route: c.body.route, assisted: c.body.assisted });
        counters = {
          ...counters,
          intakes: counters.intakes + 1,
          bySubstance: bump(counters.bySubstance, c.body.substance),
          byRoute: bump(counters.byRoute, c.body.route),
          assisted: counters.assisted + (c.body.assisted ? 1 : 0),
        };
        occupied += 1;
        if (queue > 0) {
          queue -= 1;
          counters = { ...counters, queueServed: counters.queueServed + 1 };
        }
      } else if (booth.state === 'occupied') {
        counters = { ...counters, checkouts: counters.checkouts + 1 };
        occupied = Math.max(occupied - 1, 0);
      }
      if (c.kind === 'out-of-service') next.reason = c.reason;
      return { ...s, booths: s.booths.map((b) => (b.id === booth.id ? next : b)), queue, occupied, counters };
    }
    case 'queue':
      if (c.op === 'join') return { ...s, queue: s.queue + 1, counters: { ...counters, queueJoins: counters.queueJoins + 1 } };
      if (s.queue < 1) return null;
      if (c.sentTo) {
        const sentTo = { ...counters.sentTo, [c.sentTo]: (counters.sentTo?.[c.sentTo] ?? 0) + 1 };
        return { ...s, queue: s.queue - 1, counters: { ...counters, walkAways: counters.walkAways + 1, sentTo } };
      }
      return { ...s, queue: s.queue - 1, counters: { ...counters, walkAways: counters.walkAways + 1 } };
    case 'staffing':
      return { ...s, onShift: c.onShift };
    case 'incident':
      return {
        ...s,
        counters: {
          ...counters,
          incidents: bump(counters.incidents, c.body.kind),
          naloxone: counters.naloxone + (c.body.naloxone ? 1 : 0),
          ambulance: counters.ambulance + (c.body.ambulance ? 1 : 0),
        },
      };
    case 'registration':
      return { ...s, counters: { ...counters, registrations: counters.registrations + 1 } };
    case 'incident-close': {
      const open = s.incidents.find((i) => i.id === c.incidentId && i.closedAt === undefined);
      if (!open) return null;
      const closed = { ...open, closedAt: atIso, outcome: c.body.outcome, naloxone: open.naloxone || c.body.naloxone, ambulance: open.ambulance || c.body.ambulance || c.body.outcome === 'ambulance' };
      return { ...s, incidents: s.incidents.map((i) => (i.id === open.id ? closed : i)) };
    }
    case 'room-open':
      return { ...s, rooms: s.rooms.map((r) => (r.id === c.roomId ? { ...r, openedEarly: { until: c.until, by: '' } } : r)) };
    case 'room-close':
      return {
        ...s,
        rooms: s.rooms.map((r) => {
          if (r.id !== c.roomId) return r;
          const { openedEarly: _gone, ...rest } = r;
          return rest;
        }),
      };
    case 'undo':
      // What an undo reverses is only known to the server; its push shows the result.
      return s;
  }
}

export interface Overlay {
  snapshot: Snapshot;
  /** Booths with a command not yet confirmed by the live floor. */
  pendingBooths: Set<string>;
}

/**
 * The optimistic floor: confirmed commands the live snapshot does not show yet (seq above its
 * seq), then the pending entries in send order. A command that no longer applies is skipped,
 * so a refusal rolls its optimistic change back simply by leaving the list.
 */
export function overlay(snapshot: Snapshot, confirmed: readonly ConfirmedCommand[], entries: readonly OutboxEntry[], atIso: string): Overlay {
  let s = snapshot;
  const pendingBooths = new Set<string>();
  const commands = [
    ...[...confirmed].filter((c) => c.seq > snapshot.seq).sort((a, b) => a.seq - b.seq).map((c) => c.command),
    ...sortEntries(entries).filter((e) => e.state === 'pending').map((e) => e.command),
  ];
  for (const c of commands) {
    const next = applyCommand(s, c, atIso);
    if (!next) continue;
    s = next;
    const booth = boothOf(c);
    if (booth && c.kind !== 'incident') pendingBooths.add(booth);
  }
  return { snapshot: s, pendingBooths };
}

/** Drops confirmed commands the live floor already shows. */
export function pruneConfirmed(confirmed: readonly ConfirmedCommand[], seq: number): ConfirmedCommand[] {
  return confirmed.filter((c) => c.seq > seq);
}
