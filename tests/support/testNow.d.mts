export const NOW_VAR: 'ROOMWATCH_TEST_NOW';
export const OFFSET_VAR: 'ROOMWATCH_TEST_NOW_OFFSET_MS';
export function realDate(): DateConstructor;
export function parseTestNow(text: string): number;
export function shiftNow(offsetMs: number): void;
