import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import type { SiteInfo } from '../../shared/api';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../../shared/siteConfig';
import { esc, langSwitch, pageShell } from './openPage';
import { PUBLIC_WORDS, type PublicLang } from './publicWords';

/*
 * The A4 poster for a site's door: its name, a QR code to `/open`, the address written out, and
 * the weekly opening hours of each room. Printed once and left up for months, so it says nothing
 * live; the page behind the code does.
 */

export const POSTER_CSS = `
@page{size:A4 portrait;margin:14mm}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:#fff;color:#000;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.3}
nav{padding:.5rem 1rem;text-align:right}
.lang{display:inline-block;min-height:44px;padding:.5rem 0;font-weight:700;color:#003f9e}
.poster{max-width:182mm;margin:0 auto;text-align:center;padding:0 1rem}
h1{font-size:3.6rem;margin:.5rem 0 .25rem;overflow-wrap:anywhere}
.scan{font-size:1.9rem;font-weight:700;margin:.25rem 0}
.scan2{font-size:1.3rem;margin:.25rem 0 1rem}
.qr svg{width:min(120mm,80vw);height:auto;display:block;margin:0 auto}
.url{font-size:1.4rem;font-weight:700;word-break:break-all;margin:.75rem 0 1.25rem}
h2{font-size:1.6rem;margin:.5rem 0}
.hours{list-style:none;padding:0;margin:0 auto;font-size:1.35rem;max-width:150mm}
.hours li{display:flex;justify-content:space-between;gap:1rem;border-top:2px solid #000;padding:.4rem 0;text-align:left}
.hours li:last-child{border-bottom:2px solid #000}
.privacy{font-size:1.1rem;margin:1.25rem auto 0;max-width:150mm}
@media print{nav{display:none}html{font-size:17px}}
`
  .trim()
  .replace(/\n/g, '');

/** `style-src` for the poster: its inline style sheet by hash. */
export const POSTER_CSS_HASH = `'sha256-${createHash('sha256').update(POSTER_CSS).digest('base64')}'`;

const SHORT_DAYS: Record<PublicLang, Record<Weekday, string>> = {
  da: { mon: 'man', tue: 'tir', wed: 'ons', thu: 'tor', fri: 'fre', sat: 'lør', sun: 'søn' },
  en: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
};
const EVERY_DAY: Record<PublicLang, string> = { da: 'Alle dage', en: 'Every day' };

/** Weekdays as people write them: "man–fre", "lør, søn", "Alle dage". */
export function dayList(days: readonly Weekday[], lang: PublicLang): string {
  const idx = [...new Set(days)].map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  if (idx.length === 7) return EVERY_DAY[lang];
  const name = (i: number) => SHORT_DAYS[lang][WEEKDAYS[i]!];
  const runs: number[][] = [];
  for (const i of idx) {
    const run = runs.at(-1);
    if (run && run.at(-1)! + 1 === i) run.push(i);
    else runs.push([i]);
  }
  return runs.map((r) => (r.length >= 3 ? `${name(r[0]!)}–${name(r.at(-1)!)}` : r.map(name).join(', '))).join(', ');
}

/** A room's weekly hours as lines `[days, times]`. */
export function hoursLines(hours: OpeningHours, lang: PublicLang): Array<[string, string]> {
  const w = PUBLIC_WORDS[lang].poster;
  const time = (hm: string) => (lang === 'da' ? hm.replace(':', '.') : hm);
  if (hours === '24h') return [[EVERY_DAY[lang], w.allDay]];
  return hours.map((win) => [dayList(win.days, lang), `${time(win.open)}–${time(win.close)}`]);
}

const qrCache = new Map<string, Promise<string>>();
/** The QR code of a URL as inline SVG (memoised: a poster is the same for months). */
export function qrSvg(url: string): Promise<string> {
  let svg = qrCache.get(url);
  if (!svg) {
    // Bounded: the address may come from the request's Host when ROOMWATCH_PUBLIC_URL is unset.
    if (qrCache.size >= 200) qrCache.clear();
    svg = QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
    qrCache.set(url, svg);
    svg.catch(() => qrCache.delete(url));
  }
  return svg;
}

/** The poster page for one site that opted in; `url` is the public page's address. */
export async function renderPoster(site: SiteInfo, lang: PublicLang, url: string): Promise<string> {
  const w = PUBLIC_WORDS[lang];
  const other = PUBLIC_WORDS[w.otherLang.lang];
  const svg = await qrSvg(url);
  const rows = site.rooms.flatMap((room) =>
    hoursLines(room.openingHours, lang).map(([days, times]) => `<li><span>${esc(w.kind[room.kind])} · ${esc(days)}</span><span>${esc(times)}</span></li>`),
  );
  const body =
    `<main class="poster" data-site-id="${esc(site.id)}"><h1>${esc(site.name)}</h1>` +
    `<p class="scan">${esc(w.poster.scan)}</p><p class="scan2" lang="${w.otherLang.lang}">${esc(other.poster.scan)}</p>` +
    `<div class="qr" role="img" aria-label="${esc(`QR: ${url}`)}">${svg}</div>` +
    `<p class="url">${esc(url.replace(/^https?:\/\//, ''))}</p>` +
    `<h2>${esc(w.poster.hours)}</h2><ul class="hours">${rows.join('')}</ul><p class="privacy">${esc(w.privacy)}</p></main>`;
  return pageShell(lang, `${site.name} – ${w.title}`, langSwitch(lang, `/open/poster/${encodeURIComponent(site.id)}?lang=${w.otherLang.lang}`) + body, { css: POSTER_CSS });
}
