import type { BrowserContext, Page } from 'playwright-core';

/*
 * What a page saw, for a test that fails on a tap: every click, pointer-down and key the page
 * received (where it landed, trusted or not) and every dialog that came or went, with the page's
 * own timestamps. A lost tap on a loaded machine is otherwise a bare "Timeout 2000ms exceeded".
 */

declare global {
  interface Window {
    __inputLog?: string[];
  }
}

/** Starts recording in every page of the context (before any of the page's own scripts). */
export async function recordInput(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    const log: string[] = [];
    window.__inputLog = log;
    const name = (n: EventTarget | Node | null): string => {
      if (!(n instanceof Element)) return String(n);
      const attrs = ['data-testid', 'data-action', 'data-outcome', 'data-booth-id', 'role']
        .map((a) => (n.hasAttribute(a) ? `[${a}="${n.getAttribute(a)}"]` : ''))
        .join('');
      return `${n.tagName.toLowerCase()}${n.className && typeof n.className === 'string' ? `.${n.className.split(' ')[0]}` : ''}${attrs}`;
    };
    const note = (s: string) => {
      log.push(`${Math.round(performance.now())} ${s}`);
      if (log.length > 300) log.shift();
    };
    for (const type of ['pointerdown', 'click', 'keydown'] as const) {
      document.addEventListener(
        type,
        (e) => note(`${type}${e instanceof KeyboardEvent ? ` ${e.key}` : ''} on ${name(e.target)}${e.isTrusted ? '' : ' (untrusted)'}${e.defaultPrevented ? ' (prevented)' : ''}`),
        true,
      );
    }
    const dialogs = (n: Node): Element[] => (n instanceof Element ? [...(n.matches('[role="dialog"]') ? [n] : []), ...Array.from(n.querySelectorAll('[role="dialog"]'))] : []);
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of Array.from(r.addedNodes)) for (const d of dialogs(n)) note(`dialog shown ${name(d)}`);
        for (const n of Array.from(r.removedNodes)) for (const d of dialogs(n)) note(`dialog gone ${name(d)}`);
      }
    }).observe(document, { childList: true, subtree: true });
    addEventListener('pagehide', () => note(`pagehide ${location.pathname}`));
    note(`page ${location.pathname}`);
  });
}

/** The page's last `n` entries, one per line (empty if the page cannot be read). */
export async function inputLog(page: Page, n = 40): Promise<string> {
  const log = await page.evaluate(() => window.__inputLog ?? []).catch((e: Error) => [`(log unreadable: ${e.message})`]);
  return log.slice(-n).join('\n');
}
