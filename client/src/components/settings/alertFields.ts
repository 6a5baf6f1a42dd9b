import type { AlertSettings, RuleId } from '../../../../shared/alerts/settings';
import { BACKTEST_RULES } from '../../../../shared/alerts/schema';

/**
 * The editable alert thresholds of Settings → Alerts, one entry per field of
 * `shared/alerts/settings.ts` (the schema is the truth; this says how to show each field).
 * `unit` converts between what is stored and what a manager types: occupancy is stored as a
 * fraction and typed in %, pending periods are stored in seconds and typed in minutes.
 */
export type FieldUnit = 'count' | 'ratio' | 'percent' | 'minutes' | 'pendingMinutes' | 'hours' | 'hour' | 'severity';

export interface ThresholdField {
  rule: RuleId;
  key: string;
  unit: FieldUnit;
  /** Backtest this value (the rule's fire threshold in `GET …/alerts/backtest`). */
  backtest?: boolean;
}

export interface RuleGroup {
  rule: RuleId;
  /** Whether the rule can be switched off here (the responder floor is a safety rule: never). */
  switchable: boolean;
  fields: ThresholdField[];
}

const f = (rule: RuleId, key: string, unit: FieldUnit, backtest = false): ThresholdField => ({ rule, key, unit, ...(backtest ? { backtest } : {}) });

export const RULE_GROUPS: readonly RuleGroup[] = [
  {
    rule: 'booths-per-staff',
    switchable: true,
    fields: [f('booths-per-staff', 'warning', 'ratio', true), f('booths-per-staff', 'critical', 'ratio', true), f('booths-per-staff', 'clear', 'ratio'), f('booths-per-staff', 'criticalClear', 'ratio'), f('booths-per-staff', 'pendingSeconds', 'pendingMinutes')],
  },
  { rule: 'occupancy', switchable: true, fields: [f('occupancy', 'warning', 'percent', true), f('occupancy', 'clear', 'percent'), f('occupancy', 'pendingSeconds', 'pendingMinutes')] },
  {
    rule: 'queue',
    switchable: true,
    fields: [f('queue', 'warning', 'count', true), f('queue', 'critical', 'count', true), f('queue', 'clear', 'count'), f('queue', 'criticalClear', 'count'), f('queue', 'pendingSeconds', 'pendingMinutes')],
  },
  { rule: 'overstay', switchable: true, fields: [f('overstay', 'severity', 'severity')] },
  { rule: 'overdose-cluster', switchable: true, fields: [f('overdose-cluster', 'count', 'count', true), f('overdose-cluster', 'windowMinutes', 'minutes')] },
  {
    rule: 'responder-floor',
    switchable: false,
    fields: [f('responder-floor', 'minFree', 'ratio', true), f('responder-floor', 'boothsPerObserver', 'ratio'), f('responder-floor', 'staffPerOverdose', 'ratio'), f('responder-floor', 'overdoseMinutes', 'minutes')],
  },
  { rule: 'no-data', switchable: true, fields: [f('no-data', 'minutes', 'minutes', true), f('no-data', 'minExpectedPerHour', 'ratio')] },
  { rule: 'payday-ahead', switchable: true, fields: [f('payday-ahead', 'hour', 'hour'), f('payday-ahead', 'severity', 'severity')] },
  { rule: 'forecast-gap', switchable: true, fields: [f('forecast-gap', 'hoursAhead', 'hours'), f('forecast-gap', 'minShortfall', 'count')] },
  { rule: 'wall-offline', switchable: true, fields: [f('wall-offline', 'minutes', 'minutes'), f('wall-offline', 'forgetAfterHours', 'hours')] },
];

/** Every rule backtests only through fields that are its fire threshold. */
export const canBacktest = (field: ThresholdField): boolean => field.backtest === true && (BACKTEST_RULES as readonly string[]).includes(field.rule);

/** The field's id in the form, and the key its errors are filed under (`rules.queue.warning`). */
export const fieldId = (field: Pick<ThresholdField, 'rule' | 'key'>): string => `at-${field.rule}-${field.key}`;
export const fieldPath = (field: Pick<ThresholdField, 'rule' | 'key'>): string => `rules.${field.rule}.${field.key}`;

/** The editable part of a site's alert settings (channels stay as stored). */
export type ThresholdDraft = Pick<AlertSettings, 'rules' | 'repeatMinutes' | 'escalateAfterMinutes'>;

type RuleValues = Record<string, unknown>;
export const ruleValues = (draft: ThresholdDraft, rule: RuleId): RuleValues => draft.rules[rule] as unknown as RuleValues;

/** Stored value → what the input shows. */
export function toShown(unit: FieldUnit, stored: unknown): number | string {
  if (typeof stored !== 'number') return typeof stored === 'string' ? stored : '';
  if (Number.isNaN(stored)) return '';
  if (unit === 'percent') return Math.round(stored * 1000) / 10;
  if (unit === 'pendingMinutes') return Math.round((stored / 60) * 100) / 100;
  return stored;
}

/** What was typed → stored value (NaN for an empty or unreadable input: the schema names it). */
export function toStored(unit: FieldUnit, typed: number): number {
  if (Number.isNaN(typed)) return Number.NaN;
  if (unit === 'percent') return Math.round(typed * 10) / 1000;
  if (unit === 'pendingMinutes') return Math.round(typed * 60);
  return typed;
}

export const stepOf = (unit: FieldUnit): string => (unit === 'count' || unit === 'hour' || unit === 'hours' ? '1' : unit === 'pendingMinutes' ? '0.5' : 'any');
