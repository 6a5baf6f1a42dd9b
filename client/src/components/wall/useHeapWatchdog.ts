import { onScopeDispose, ref } from 'vue';

/** Chromium's non-standard `performance.memory`. */
interface MemoryInfo {
  usedJSHeapSize: number;
}

const CHECK_MS = 5 * 60_000;

/**
 * A wall runs for weeks; if a leak (ours, a library's or the browser's) ever grows the JS heap
 * past `limitMb`, reload the page — but only at the site's quiet hour, so the screen never
 * blinks during a rush. Where `performance.memory` does not exist this does nothing.
 */
export function useHeapWatchdog(opts: { limitMb: number; quietHour: number; siteHour: () => number; reload?: () => void }) {
  const reloadPending = ref(false);
  const memory = (performance as Performance & { memory?: MemoryInfo }).memory;

  function check(): void {
    const used = (performance as Performance & { memory?: MemoryInfo }).memory?.usedJSHeapSize;
    if (used === undefined) return;
    if (used > opts.limitMb * 1024 * 1024) reloadPending.value = true;
    if (reloadPending.value && opts.siteHour() === opts.quietHour) {
      console.warn(`roomwatch: JS heap ${Math.round(used / 1048576)} MB over ${opts.limitMb} MB, reloading at the quiet hour`);
      (opts.reload ?? (() => window.location.reload()))();
    }
  }

  const timer = memory ? setInterval(check, CHECK_MS) : undefined;
  onScopeDispose(() => clearInterval(timer));
  return { reloadPending, check };
}
