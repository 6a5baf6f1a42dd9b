import { SEVERITY_RANK, type Severity } from './settings';
import type { Signal } from './rules';

/** The part of an open alert the state machine decides on (instants in epoch ms). */
export interface AlertCore {
  state: 'pending' | 'firing';
  severity: Severity;
  pendingAt: number;
  firedAt: number | null;
  severitySince: number;
  /** Severity up to which an acknowledgement silences reminders (null: not acknowledged). */
  ackSeverity: Severity | null;
  lastNotifiedAt: number | null;
  escalatedAt: number | null;
  silenceable: boolean;
}

export interface MachineOptions {
  pendingMs: number;
  /** 0: no reminders. */
  repeatMs: number;
  /** 0: no escalation. */
  escalateMs: number;
}

/**
 * What to do with one alert key. Notified kinds: `fired`, `worsened`, `repeated`, `escalated`,
 * `resolved`; `pending`, `eased` and `cancelled` only update screens.
 */
export type Transition = 'pending' | 'fired' | 'worsened' | 'eased' | 'repeated' | 'escalated' | 'resolved' | 'cancelled';

export interface Decision {
  kind: Transition;
  /** The alert after the transition; null when it closed (resolved / cancelled). */
  next: AlertCore | null;
}

const rank = (s: Severity | null) => (s === null ? 0 : SEVERITY_RANK[s]);

/** True when an acknowledgement silences reminders of the alert at its current severity. */
export const isSilenced = (a: Pick<AlertCore, 'ackSeverity' | 'severity' | 'silenceable'>): boolean =>
  a.silenceable && a.ackSeverity !== null && rank(a.ackSeverity) >= rank(a.severity);

/**
 * One step of `pending → firing → resolved` for one key, pure. Hysteresis: a pending alert
 * needs its fire condition to hold for the whole pending period (a spike only makes it
 * pending, never notifies); a firing alert stays until the value falls below its clear
 * threshold (`signal.hold`), so noise around the fire threshold cannot flap it. Worsening is
 * at once; easing to a lower severity happens below that severity's clear threshold.
 */
export function step(current: AlertCore | null, signal: Pick<Signal, 'fire' | 'hold' | 'silenceable'> | undefined, now: number, o: MachineOptions): Decision | null {
  const fire = signal?.fire ?? null;
  const hold = signal?.hold ?? null;
  if (!current) {
    if (fire === null) return null;
    const opened: AlertCore = {
      state: 'pending',
      severity: fire,
      pendingAt: now,
      firedAt: null,
      severitySince: now,
      ackSeverity: null,
      lastNotifiedAt: null,
      escalatedAt: null,
      silenceable: signal?.silenceable ?? true,
    };
    if (o.pendingMs > 0) return { kind: 'pending', next: opened };
    return { kind: 'fired', next: { ...opened, state: 'firing', firedAt: now, lastNotifiedAt: now } };
  }
  if (current.state === 'pending') {
    if (fire === null) return { kind: 'cancelled', next: null };
    if (now - current.pendingAt >= o.pendingMs) {
      return { kind: 'fired', next: { ...current, state: 'firing', severity: fire, firedAt: now, severitySince: now, lastNotifiedAt: now } };
    }
    return null;
  }
  // Firing.
  if (rank(fire) > rank(current.severity)) {
    return { kind: 'worsened', next: { ...current, severity: fire!, severitySince: now, lastNotifiedAt: now, escalatedAt: null } };
  }
  if (rank(hold) < rank(current.severity)) {
    const lower = rank(hold) >= rank(fire) ? hold : fire;
    if (lower === null) return { kind: 'resolved', next: null };
    return { kind: 'eased', next: { ...current, severity: lower, severitySince: now } };
  }
  if (
    o.escalateMs > 0 &&
    current.severity === 'critical' &&
    current.escalatedAt === null &&
    current.ackSeverity !== 'critical' &&
    now - current.severitySince >= o.escalateMs
  ) {
    return { kind: 'escalated', next: { ...current, escalatedAt: now } };
  }
  // Info alerts (payday ahead) are told once, not repeated.
  if (o.repeatMs > 0 && current.severity !== 'info' && !isSilenced(current) && now - (current.lastNotifiedAt ?? current.severitySince) >= o.repeatMs) {
    return { kind: 'repeated', next: { ...current, lastNotifiedAt: now } };
  }
  return null;
}
