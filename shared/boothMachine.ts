import type { BoothState } from './vocabulary';

/** Commands that move a booth between states. */
export type BoothCommand = 'check-in' | 'check-out' | 'cleaned' | 'out-of-service' | 'back-in-service';
export const BOOTH_COMMANDS: readonly BoothCommand[] = ['check-in', 'check-out', 'cleaned', 'out-of-service', 'back-in-service'];

interface Transition {
  from: readonly BoothState[];
  to: BoothState;
}

/**
 * The booth state machine of PRODUCT.md: free → occupied → cleaning → free, and
 * out_of_service from any other state. This table is the only copy of the rules: the
 * server passes `from`/`to` into the atomic Redis script and the client uses it to decide
 * which actions to offer.
 */
export const BOOTH_TRANSITIONS: Readonly<Record<BoothCommand, Transition>> = {
  'check-in': { from: ['free'], to: 'occupied' },
  'check-out': { from: ['occupied'], to: 'cleaning' },
  cleaned: { from: ['cleaning'], to: 'free' },
  'out-of-service': { from: ['free', 'occupied', 'cleaning'], to: 'out_of_service' },
  // Back from repair the booth is put straight into use; staff clean before repair ends.
  'back-in-service': { from: ['out_of_service'], to: 'free' },
};

/** The state a command leads to, or null when the command is refused in `state`. */
export function nextBoothState(state: BoothState, command: BoothCommand): BoothState | null {
  const t = BOOTH_TRANSITIONS[command];
  return t.from.includes(state) ? t.to : null;
}

/** Commands allowed from `state`, in the table's order. */
export function allowedBoothCommands(state: BoothState): BoothCommand[] {
  return BOOTH_COMMANDS.filter((c) => nextBoothState(state, c) !== null);
}
