import { onScopeDispose, ref } from 'vue';

/**
 * Keeps the TV from dimming or sleeping (Screen Wake Lock). The browser drops the lock whenever
 * the page is hidden, so it is asked for again on every `visibilitychange` back to visible.
 */
export function useWakeLock() {
  const held = ref(false);
  let sentinel: WakeLockSentinel | null = null;
  let disposed = false;

  async function acquire(): Promise<void> {
    if (disposed || sentinel || document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    try {
      const s = await navigator.wakeLock.request('screen');
      if (disposed) {
        void s.release();
        return;
      }
      sentinel = s;
      held.value = true;
      s.addEventListener('release', () => {
        sentinel = null;
        held.value = false;
      });
    } catch (e) {
      // Refused (no permission, battery saver, headless): the screen still works, it may sleep.
      console.info('roomwatch: screen wake lock not granted', e);
    }
  }

  const onVisibility = () => {
    if (document.visibilityState === 'visible') void acquire();
  };
  document.addEventListener('visibilitychange', onVisibility);
  void acquire();

  onScopeDispose(() => {
    disposed = true;
    document.removeEventListener('visibilitychange', onVisibility);
    void sentinel?.release();
    sentinel = null;
  });
  return { held };
}
