import type { Locator, Page } from 'playwright-core';
import { openWall } from '../../support/browserAuth';
import type { TestServer } from '../../support/testServer';
import { PAGE_MS, PUSH_MS, settleFrames } from '../../support/browser';

/** Page object of the wall screen (`/wall/:siteId`). */
export class WallPage {
  constructor(readonly page: Page) {}

  /** Opens the wall as a paired TV does and waits until it shows live data. */
  async open(srv: TestServer, siteId: string, query = ''): Promise<void> {
    await openWall(this.page, srv, siteId, query);
    await this.waitLive(PAGE_MS);
  }

  root(): Locator {
    return this.page.locator('[data-testid="wall"]');
  }

  booth(id: string): Locator {
    return this.page.locator(`[data-booth-id="${id}"]`);
  }

  booths(): Locator {
    return this.page.locator('[data-booth-id]');
  }

  figure(testId: string): Locator {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  elapsed(id: string): Locator {
    return this.booth(id).locator('[data-testid="booth-elapsed"]');
  }

  async waitForBoothState(id: string, state: string, timeoutMs = PUSH_MS): Promise<void> {
    await this.page.locator(`[data-booth-id="${id}"][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  }

  async waitLive(timeoutMs: number): Promise<void> {
    await this.page.locator('[data-testid="wall"][data-stale="false"]').waitFor({ timeout: timeoutMs });
  }

  async waitStale(timeoutMs: number): Promise<void> {
    await this.page.locator('[data-testid="stale-banner"]').waitFor({ timeout: timeoutMs });
  }

  /** Lets the wall's layout settle (the chart's resize), as a viewer would see it. */
  async settle(): Promise<void> {
    await settleFrames(this.page);
    // Chart.js resizes its canvas after its box changes (a ResizeObserver, then an animation
    // frame): on a busy machine more than two frames after a banner took the room. Wait for that,
    // up to 2 s; a chart that never fits still overflows its region and `overflow` reports it.
    await this.page
      .waitForFunction(
        () => {
          const chart = document.querySelector<HTMLElement>('.wchart');
          return !chart || chart.scrollHeight <= chart.clientHeight + 1;
        },
        undefined,
        { timeout: 2_000 },
      )
      .catch(() => undefined);
  }

  /**
   * Whether anything overflows once the layout has settled: the document (scrollbars) and every
   * region the wall marks as having to fit (`data-wall-fit`, which clip their content). Measured
   * at once, a chart that mounted just before a banner took its room reads one frame too tall.
   */
  async overflow(): Promise<string[]> {
    await this.settle();
    return this.page.evaluate(() => {
      const out: string[] = [];
      const d = document.documentElement;
      if (d.scrollHeight > window.innerHeight) out.push(`document height ${d.scrollHeight} > ${window.innerHeight}`);
      if (d.scrollWidth > window.innerWidth) out.push(`document width ${d.scrollWidth} > ${window.innerWidth}`);
      const wall = document.querySelector<HTMLElement>('[data-testid="wall"]');
      const regions = [wall, ...Array.from(document.querySelectorAll<HTMLElement>('[data-wall-fit], .wroom__grid, .wfig, .wbooth__body'))];
      for (const el of regions) {
        if (!el) continue;
        if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) {
          out.push(`${el.className}: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
        }
      }
      // Text cut off at the bottom inside anything that clips (a squeezed flex or grid item with
      // overflow: hidden hides it from its parent). Ellipsis across is allowed, not cut lines.
      if (wall) {
        for (const el of Array.from(wall.querySelectorAll<HTMLElement>('*'))) {
          // Text for screen readers only is clipped to 1 px on purpose.
          if (regions.includes(el) || !el.textContent?.trim() || el.closest('.visually-hidden')) continue;
          const style = getComputedStyle(el);
          if (style.display === 'none' || style.overflowY === 'visible') continue;
          if (el.scrollHeight > el.clientHeight + 1) {
            out.push(`${el.className} "${el.textContent.trim().slice(0, 20)}": text ${el.scrollHeight} px tall in ${el.clientHeight} px`);
          }
        }
      }
      return out;
    });
  }

  /** The header's date: shown whole, hidden because a long name leaves no room, or cut (a defect). */
  async headerDate(): Promise<'whole' | 'hidden' | 'cut'> {
    return this.page.locator('[data-testid="wall-date"]').evaluate((el) => {
      if (getComputedStyle(el).visibility === 'hidden') return 'hidden';
      return el.scrollWidth > el.clientWidth + 1 ? 'cut' : 'whole';
    });
  }

  /** The smallest rendered font size of visible text, as a fraction of the screen height. */
  async smallestTextShare(): Promise<{ share: number; sample: string }> {
    return this.page.evaluate(() => {
      let min = Infinity;
      let sample = '';
      const walker = document.createTreeWalker(document.querySelector('[data-testid="wall"]')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent?.trim();
        const el = n.parentElement;
        if (!text || !el || el.closest('.visually-hidden')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const px = parseFloat(style.fontSize);
        if (px < min) {
          min = px;
          sample = text;
        }
      }
      return { share: min / window.innerHeight, sample };
    });
  }
}
