import { onScopeDispose, readonly, ref, type Ref } from 'vue';

/*
 * One 1-second ticker for the whole app: every elapsed-time display reads the same `now`, so
 * 17 booth tiles cost one timer and all flip their seconds together.
 */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function tick(): void {
  now.value = Date.now();
  // Re-aim at the next whole second each time, so the displays do not drift against the clock.
  timer = setTimeout(tick, 1_000 - (now.value % 1_000));
}

/** The current time in ms, refreshed every second while any component uses it. */
export function useNow(): Readonly<Ref<number>> {
  if (users++ === 0) tick();
  onScopeDispose(() => {
    if (--users === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  });
  return readonly(now);
}
