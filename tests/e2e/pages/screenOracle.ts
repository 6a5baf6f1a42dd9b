import type { Page } from 'playwright-core';
import type { SiteInfo, Snapshot } from '../../../shared/api';
import type { Alert } from '../../../shared/alerts/schema';
import { alertTitle } from '../../../shared/alerts/text';
import { floorFigures } from '../../../shared/floorFigures';
import { actionCardOf } from '../../../shared/loadLevel';

/**
 * Reads what a screen shows by the public data attributes (`data-figure`, `data-booth-id` +
 * `data-state`, `data-room-id` + `data-room-open`, the banner's `data-alert-id`) and compares it
 * with what the API says: the snapshot, the active alerts and the history. Every screen —
 * wall, console, overview — is checked against the same truth.
 */
export interface ScreenReading {
  /** `data-figure` → the text of each element carrying it (a figure may appear more than once). */
  figures: Record<string, string[]>;
  booths: Record<string, { state: string; incident: string | null }>;
  rooms: Record<string, string>;
  /** The wall's banner entries, in order, and its "+N". */
  banner: Array<{ id: string; severity: string; title: string }>;
  bannerMore: number;
  /** `data-level` of the load banner (wall) or the card (overview). */
  level: string | null;
  /** The load banner's action card (wall). */
  card: string | null;
  /** The chart's hourly figures (wall). */
  hourly: Record<string, number>;
  /** Open incidents listed (console). */
  incidentList: number | null;
}

/** Reads a screen, within `root` (a CSS selector) when given. */
export function readScreen(page: Page, root = 'body'): Promise<ScreenReading> {
  return page.evaluate((rootSel) => {
    const scope = document.querySelector(rootSel);
    if (!scope) throw new Error(`no ${rootSel} on the page`);
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const figures: Record<string, string[]> = {};
    for (const el of Array.from(scope.querySelectorAll('[data-figure]'))) {
      const k = el.getAttribute('data-figure')!;
      (figures[k] ??= []).push(text(el));
    }
    const booths: Record<string, { state: string; incident: string | null }> = {};
    for (const el of Array.from(scope.querySelectorAll('[data-booth-id][data-state]'))) {
      booths[el.getAttribute('data-booth-id')!] = { state: el.getAttribute('data-state')!, incident: el.getAttribute('data-incident') };
    }
    const rooms: Record<string, string> = {};
    for (const el of Array.from(scope.querySelectorAll('[data-room-id][data-room-open]'))) rooms[el.getAttribute('data-room-id')!] = el.getAttribute('data-room-open')!;
    const banner = Array.from(scope.querySelectorAll('[data-testid="alert-banner"] [data-alert-id]')).map((el) => ({
      id: el.getAttribute('data-alert-id')!,
      severity: el.getAttribute('data-severity')!,
      title: text(el.querySelector('.walert__title') ?? el),
    }));
    const more = scope.querySelector('[data-testid="alert-banner"] .walerts__more');
    const hourly: Record<string, number> = {};
    for (const el of Array.from(scope.querySelectorAll('[data-hour][data-intakes]'))) hourly[el.getAttribute('data-hour')!] = Number(el.getAttribute('data-intakes'));
    const levelSel = '[data-testid="load-banner"], [data-testid="site-card"]';
    const levelEl = scope.matches(levelSel) ? scope : scope.querySelector(levelSel);
    const list = scope.querySelector('[data-testid="open-incidents"]');
    return {
      figures,
      booths,
      rooms,
      banner,
      bannerMore: more ? Number(text(more).replace(/\D/g, '')) : 0,
      level: levelEl?.getAttribute('data-level') ?? null,
      card: (() => {
        const el = scope.querySelector('[data-testid="load-banner"] .wload__card');
        return el ? text(el) : null;
      })(),
      hourly,
      incidentList: list ? Number(list.getAttribute('data-count')) : null,
    };
  }, root);
}

/** The first whole number in a text ("af 36 åbne" → 36), or null. */
export const numberIn = (s: string | undefined): number | null => {
  const m = /\d+/.exec((s ?? '').replace(/[.,\u00a0\u202f](?=\d{3}\b)/g, ''));
  return m ? Number(m[0]) : null;
};

export interface Truth {
  snapshot: Snapshot;
  site: SiteInfo;
  /** Active alerts from `GET …/alerts?state=active`. */
  alerts: Alert[];
  /** The server's clock at the checkpoint. */
  now: number;
}

const SEVERITY = { critical: 0, warning: 1, info: 2 } as const;

/**
 * What differs between a screen and the API, as readable lines (empty: the screen tells the
 * truth). `kind` says which figures the screen has; `locale` how it words alerts.
 */
export function compareScreen(kind: 'wall' | 'console' | 'overview', r: ScreenReading, t: Truth, locale = 'en'): string[] {
  const out: string[] = [];
  const s = t.snapshot;
  const f = floorFigures(s, t.site, t.now, 20);
  const one = (fig: string, want: number | null) => {
    const got = r.figures[fig];
    if (want === null) {
      if (got?.length) out.push(`${fig}: shown as ${JSON.stringify(got)} but should be absent`);
      return;
    }
    if (!got?.length) return out.push(`${fig}: missing (want ${want})`);
    for (const g of got) if (numberIn(g) !== want) out.push(`${fig}: shows "${g}", API says ${want}`);
  };
  if (kind !== 'console') one('in-use', s.occupied);
  one('queue', s.queue);
  one('on-shift', s.onShift);
  one('intakes-today', s.counters.intakes);
  if (kind !== 'overview') one('overdoses-today', s.counters.incidents.overdose);
  if (kind !== 'console') one('open-places', f.openPlaces);
  if (kind === 'wall') one('open-incidents', f.openIncidents > 0 ? f.openIncidents : null);
  if (kind === 'overview') one('open-incidents', f.openIncidents);
  if (kind === 'console') {
    one('walk-aways', s.counters.walkAways);
    if (r.incidentList !== f.openIncidents) out.push(`open incidents listed: ${r.incidentList}, API says ${f.openIncidents}`);
  }

  // Every place, its state and its open incident.
  if (kind !== 'overview') {
    const incidentAt = new Map(s.incidents.filter((i) => i.closedAt === undefined && i.boothId).map((i) => [i.boothId!, i.kind]));
    for (const b of s.booths) {
      const shown = r.booths[b.id];
      if (!shown) out.push(`${b.id}: not shown`);
      else {
        if (shown.state !== b.state) out.push(`${b.id}: shows ${shown.state}, API says ${b.state}`);
        if ((shown.incident ?? null) !== (incidentAt.get(b.id) ?? null)) out.push(`${b.id}: incident ${shown.incident}, API says ${incidentAt.get(b.id) ?? null}`);
      }
    }
    if (Object.keys(r.booths).length !== s.booths.length) out.push(`${Object.keys(r.booths).length} places shown, API has ${s.booths.length}`);
  }

  // Rooms open or closed: the snapshot's own statuses (made by the server at its clock).
  for (const room of s.rooms) {
    if (r.rooms[room.id] !== String(room.open)) out.push(`room ${room.id}: data-room-open=${r.rooms[room.id]}, API says ${room.open}`);
  }

  if (kind !== 'console' && r.level !== f.load.level) out.push(`load level ${r.level}, the shared rule on the API's figures says ${f.load.level}`);
  if (kind === 'wall') {
    // The action card of the shared rule: a critical queue alone has its own, not "pause new intakes".
    const card = actionCardOf(f.load)[locale === 'da' ? 'da' : 'en'];
    if (r.card !== card) out.push(`load card: shows "${r.card}", the shared rule says "${card}"`);
    // Paused intakes (critical for a safety reason): the wait must say so, never "no wait" beside that card.
    const wait = r.figures.wait?.[0] ?? '';
    const paused = /intakes paused|indtag på pause/.test(wait);
    if (paused !== f.intakesPaused) out.push(`wait: shows "${wait}", but intakes are ${f.intakesPaused ? '' : 'not '}paused (load level ${f.load.level})`);

    // The banner: the firing warning/critical alerts, worst and newest first, worded from their current figures.
    const firing = t.alerts.filter((a) => a.state === 'firing' && a.severity !== 'info');
    const byId = new Map(firing.map((a) => [a.id, a]));
    if (r.banner.length !== Math.min(3, firing.length)) out.push(`banner shows ${r.banner.length} alerts, API has ${firing.length} firing`);
    for (const shown of r.banner) {
      const a = byId.get(shown.id);
      if (!a) out.push(`banner shows alert ${shown.id}, not firing in the API`);
      else {
        const title = alertTitle(a.rule, a.detail, locale, a.severity);
        if (shown.title !== title || shown.severity !== a.severity) out.push(`banner "${shown.title}" (${shown.severity}), API says "${title}" (${a.severity})`);
      }
    }
    // The worst come first: nothing left out is worse than something shown.
    const worstHidden = Math.min(3, ...firing.filter((a) => !r.banner.some((b) => b.id === a.id)).map((a) => SEVERITY[a.severity]));
    const mildestShown = Math.max(-1, ...r.banner.map((b) => SEVERITY[b.severity as keyof typeof SEVERITY]));
    if (worstHidden < mildestShown) out.push('banner leaves out a worse alert than one it shows');
    if (r.bannerMore !== Math.max(0, firing.length - 3)) out.push(`banner "+${r.bannerMore}", API has ${firing.length} firing`);
    s.hourlyIntakes.forEach((n, h) => {
      if (r.hourly[String(h)] !== n) out.push(`hour ${h}: chart says ${r.hourly[String(h)]}, API says ${n}`);
    });
  }
  if (kind === 'overview') {
    const open = t.alerts.filter((a) => a.state !== 'resolved').length;
    one('alerts', open);
  }
  return out;
}

/**
 * Text that is cut off or sticks out: an element with its own text whose content is wider (or,
 * where it clips, taller) than its box, text cut with an ellipsis, and text outside a clipping
 * ancestor; a page that scrolls sideways. Visually hidden text and entries marked
 * `data-may-shorten` (the wall's secondary alerts, shortened on purpose behind the whole worst one) are skipped.
 */
export function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const de = document.documentElement;
    if (de.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${de.scrollWidth} > ${window.innerWidth}`);
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${(el.className as unknown as string).toString().split(' ')[0]} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('.visually-hidden, [data-may-shorten]')) continue;
      const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
      if (!ownText) continue;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      const clipsX = st.overflowX !== 'visible' || st.textOverflow === 'ellipsis';
      if (clipsX && el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)}: ${el.scrollWidth} px wide in ${el.clientWidth}`);
      // Text wider than its own (block) box spills over whatever is beside it.
      if (!clipsX && st.display !== 'inline' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)}: text ${el.scrollWidth} px wide in a ${el.clientWidth} px box`);
      if (st.overflowY !== 'visible' && st.overflowY !== 'auto' && st.overflowY !== 'scroll' && el.scrollHeight > el.clientHeight + 1) {
        out.push(`${describe(el)}: ${el.scrollHeight} px tall in ${el.clientHeight}`);
      }
      // Text sticking out of the nearest ancestor that cuts off what overflows it.
      const r = el.getBoundingClientRect();
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const as = getComputedStyle(a);
        if (as.overflowX === 'visible' && as.overflowY === 'visible') continue;
        const ar = a.getBoundingClientRect();
        const hidden = as.overflowY === 'hidden' || as.overflowY === 'clip';
        if (r.right > ar.right + 1 || r.left < ar.left - 1 || (hidden && (r.bottom > ar.bottom + 1 || r.top < ar.top - 1))) {
          out.push(`${describe(el)}: outside ${describe(a)} (${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)} in ${Math.round(ar.left)}–${Math.round(ar.right)} × ${Math.round(ar.top)}–${Math.round(ar.bottom)})`);
        }
        break;
      }
    }
    return out;
  });
}
