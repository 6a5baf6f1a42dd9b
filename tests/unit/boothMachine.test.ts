import { describe, expect, it } from 'vitest';
import { allowedBoothCommands, BOOTH_COMMANDS, nextBoothState } from '../../shared/boothMachine';
import { BoothState } from '../../shared/vocabulary';

// Every (state, command) cell of PRODUCT.md's booth machine: null means refused (409).
const EXPECTED: Record<BoothState, Record<string, BoothState | null>> = {
  free: { 'check-in': 'occupied', 'check-out': null, cleaned: null, 'out-of-service': 'out_of_service', 'back-in-service': null },
  occupied: { 'check-in': null, 'check-out': 'cleaning', cleaned: null, 'out-of-service': 'out_of_service', 'back-in-service': null },
  cleaning: { 'check-in': null, 'check-out': null, cleaned: 'free', 'out-of-service': 'out_of_service', 'back-in-service': null },
  out_of_service: { 'check-in': null, 'check-out': null, cleaned: null, 'out-of-service': null, 'back-in-service': 'free' },
};

describe('booth state machine', () => {
  for (const state of BoothState.options) {
    for (const command of BOOTH_COMMANDS) {
      const want = EXPECTED[state][command];
      it(`${command} from ${state} → ${want ?? 'refused'}`, () => {
        expect(nextBoothState(state, command)).toBe(want);
      });
    }
  }

  it('offers exactly the allowed commands', () => {
    expect(allowedBoothCommands('free')).toEqual(['check-in', 'out-of-service']);
    expect(allowedBoothCommands('occupied')).toEqual(['check-out', 'out-of-service']);
    expect(allowedBoothCommands('cleaning')).toEqual(['cleaned', 'out-of-service']);
    expect(allowedBoothCommands('out_of_service')).toEqual(['back-in-service']);
  });
});
