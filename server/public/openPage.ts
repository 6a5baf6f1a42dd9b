import { createHash } from 'node:crypto';
import { addDays } from '../../shared/calendar';
import { localDateOf } from '../../shared/openingHours';
import { WAIT_CAP_MINUTES, type PublicRoom, type PublicSite } from '../../shared/publicAvailability';
import { PUBLIC_WORDS, type PublicLang, type PublicWords } from './publicWords';

/*
 * The public page `/open`: plain server-rendered HTML with one inline style sheet (allowed by its
 * hash in the page's CSP), no script, no external request, a meta refresh every minute. Large
 * print and high contrast for an old phone in the street; every band says its meaning in words,
 * never by colour alone.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page's one style sheet; its hash is the page's `style-src`. */
export const OPEN_CSS = `
*{box-sizing:border-box}
html{font-size:125%;-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:#000;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.35}
header,main,footer{max-width:40rem;margin:0 auto;padding:.5rem .6rem}
h1{font-size:1.5rem;margin:.25rem 0}
h1,h2{overflow-wrap:anywhere;hyphens:auto}
@media (max-width:22rem){h1{font-size:1.25rem}h2{font-size:1.15rem}}
h2{font-size:1.35rem;margin:0 0 .35rem}
nav{text-align:right}
p{margin:.3rem 0}
a{color:#003f9e;text-decoration:underline;text-underline-offset:.15em}
a:focus{outline:3px solid #000;outline-offset:2px}
.lang{display:inline-block;min-height:44px;padding:.5rem 0;font-weight:700}
.meta{font-size:.85rem}
.links{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 1.25rem;font-size:.85rem}
.site{border:3px solid #000;border-radius:.5rem;padding:.6rem;margin:0 0 1rem}
.status{font-weight:700;font-size:1.1rem}
.rooms{list-style:none;margin:.5rem 0;padding:0}
.rooms li{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.25rem .5rem;padding:.4rem 0;border-top:1px solid #555}
.band{display:inline-block;padding:.15rem .4rem;border-radius:.3rem;border:2px solid #000;font-weight:700}
.band--free{background:#0b5d1e;color:#fff}
.band--few{background:#ffd23f;color:#000}
.band--full{background:#9b111e;color:#fff}
.band--closed{background:#fff;color:#000;border-style:dashed}
.opens{flex-basis:100%;font-size:.85rem}
.wait{font-weight:700}
.note{border-left:6px solid #000;padding-left:.5rem}
`
  .trim()
  .replace(/\n/g, '');

/** `style-src` for the page: the inline style sheet by its hash. */
export const OPEN_CSS_HASH = `'sha256-${createHash('sha256').update(OPEN_CSS).digest('base64')}'`;

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(locale, { ...opts, timeZone })));
  return f;
}

/** A clock time in the site's zone (`07.30` in Danish, `07:30` in English). */
export const clockTime = (ms: number, w: PublicWords, timeZone: string): string =>
  format(w.locale, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

/**
 * When something happens, as people say it: "kl. 23.30" today, "i morgen kl. 07.30", a weekday
 * within the week, else the date — all in the site's time zone, whatever the server's.
 */
export function when(iso: string, now: number, w: PublicWords, timeZone: string): string {
  const ms = Date.parse(iso);
  const time = clockTime(ms, w, timeZone);
  const today = localDateOf(now, timeZone);
  const day = localDateOf(ms, timeZone);
  if (day === today) return w.at(time);
  if (day === addDays(today, 1)) return w.tomorrowAt(time);
  const opts: Intl.DateTimeFormatOptions = day <= addDays(today, 6) ? { weekday: 'long' } : { day: 'numeric', month: 'long' };
  return w.dayAt(format(w.locale, timeZone, opts).format(ms), time);
}

/** The site's open/closed line. */
export function siteStatus(site: PublicSite, now: number, w: PublicWords, timeZone: string): string {
  if (site.open) return site.closesAt ? w.openUntil(when(site.closesAt, now, w, timeZone)) : w.openAllDay;
  return site.opensAt ? w.closedOpens(when(site.opensAt, now, w, timeZone)) : w.closed;
}

/** The typical wait line (absent while closed). */
export function waitLine(minutes: number | undefined, w: PublicWords): string | undefined {
  if (minutes === undefined) return undefined;
  if (minutes === 0) return w.noWait;
  return minutes >= WAIT_CAP_MINUTES ? w.waitCapped : w.wait(minutes);
}

function roomItem(room: PublicRoom, site: PublicSite, now: number, w: PublicWords, timeZone: string): string {
  const label = room.free !== undefined ? w.freeCount(room.free) : w.band[room.band];
  // A closed room of an open site says when it opens; a closed site says it once for all its rooms.
  const opens = !room.open && room.opensAt && room.opensAt !== site.opensAt ? `<span class="opens">${esc(w.opens(when(room.opensAt, now, w, timeZone)))}</span>` : '';
  return (
    `<li data-kind="${room.kind}" data-band="${room.band}"><span>${esc(w.kind[room.kind])}</span>` +
    `<span class="band band--${room.band}">${esc(label)}</span>${opens}</li>`
  );
}

/** One site's card. */
export function siteCard(site: PublicSite, now: number, w: PublicWords, timeZone: string): string {
  const wait = waitLine(site.waitMinutes, w);
  return (
    `<section class="site" id="site-${esc(site.id)}" data-site-id="${esc(site.id)}" data-open="${site.open}" aria-labelledby="h-${esc(site.id)}">` +
    `<h2 id="h-${esc(site.id)}">${esc(site.name)}</h2>` +
    `<p class="status">${esc(siteStatus(site, now, w, timeZone))}</p>` +
    `<ul class="rooms">${site.rooms.map((r) => roomItem(r, site, now, w, timeZone)).join('')}</ul>` +
    (wait ? `<p class="wait">${esc(wait)}</p>` : '') +
    `</section>`
  );
}

export interface OpenPageInput {
  lang: PublicLang;
  /** When the figures were read (ms). */
  at: number;
  /** The time zone the "updated" time is shown in (the first site's, else Copenhagen). */
  timeZone: string;
  sites: Array<{ site: PublicSite; timeZone: string }>;
  /** A problem to show instead of the sites (the store is down). */
  problem?: 'unavailable' | 'tooMany';
  /**
   * Seconds between automatic reloads, only when the reader asked for them (`?auto=1`): a page
   * that reloads by itself resets a screen reader's place (WCAG 2.2.1), so it is opt-in.
   */
  refreshSeconds: number;
  auto?: boolean;
}

/** The link to the page in the other language, named in that language. */
export function langSwitch(lang: PublicLang, href: string): string {
  const other = PUBLIC_WORDS[lang].otherLang;
  return `<nav><a class="lang" href="${esc(href)}" lang="${other.lang}" hreflang="${other.lang}">${esc(other.label)}</a></nav>`;
}

/** The document around a public page's body: no script, no external resource, one inline style sheet. */
export function pageShell(lang: PublicLang, title: string, body: string, opts: { refreshSeconds?: number; css: string }): string {
  const refresh = opts.refreshSeconds ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : '';
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">${refresh}` +
    `<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">` +
    `<title>${esc(title)}</title><style>${opts.css}</style></head><body>${body}</body></html>`
  );
}

/** The page's address in a language, reloading itself or not. */
export const openHref = (lang: PublicLang, auto: boolean): string => `/open?lang=${lang}${auto ? '&auto=1' : ''}`;

/** The whole `/open` page. */
export function renderOpenPage(input: OpenPageInput): string {
  const w = PUBLIC_WORDS[input.lang];
  const auto = input.auto === true;
  const main = input.problem
    ? `<p class="note" role="alert">${esc(w[input.problem])}</p>`
    : input.sites.length === 0
      ? `<p class="note">${esc(w.none)}</p>`
      : input.sites.map((s) => siteCard(s.site, input.at, w, s.timeZone)).join('');
  const body =
    `<header>${langSwitch(input.lang, openHref(w.otherLang.lang, auto))}<h1>${esc(w.title)}</h1><p>${esc(w.intro)}</p>` +
    `<p class="meta">${esc(w.updated(clockTime(input.at, w, input.timeZone)))}${auto ? ` ${esc(w.autoNote)}` : ''}</p>` +
    `<ul class="links"><li><a class="lang" href="${esc(openHref(input.lang, auto))}">${esc(w.refreshNow)}</a></li>` +
    `<li><a class="lang" href="${esc(openHref(input.lang, !auto))}">${esc(auto ? w.autoOff : w.autoOn)}</a></li></ul></header>` +
    `<main>${main}</main><footer><p class="meta">${esc(w.privacy)}</p></footer>`;
  return pageShell(input.lang, w.title, body, { refreshSeconds: auto ? input.refreshSeconds : 0, css: OPEN_CSS });
}
