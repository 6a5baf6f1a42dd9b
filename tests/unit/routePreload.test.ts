import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRELOADED_PAGES, preloadTags, type Manifest } from '../../server/http/routePreload';

const MANIFEST: Manifest = {
  'src/main.ts': { file: 'assets/index-a.js', imports: ['_vendor-v.js', '_app-p.js'] },
  '_vendor-v.js': { file: 'assets/vendor-v.js' },
  '_app-p.js': { file: 'assets/app-p.js', imports: ['_vendor-v.js'], css: ['assets/app-p.css'] },
  '_screens-s.js': { file: 'assets/screens-s.js', imports: ['_vendor-v.js', '_app-p.js'], css: ['assets/screens-s.css'] },
  'src/pages/WallPage.vue': { file: 'assets/WallPage-w.js', imports: ['_vendor-v.js', '_app-p.js', '_screens-s.js'], css: ['assets/WallPage-w.css'] },
};
const HTML = '<head><script type="module" crossorigin src="/assets/index-a.js"></script><link rel="modulepreload" crossorigin href="/assets/vendor-v.js"><link rel="modulepreload" crossorigin href="/assets/app-p.js"><link rel="stylesheet" crossorigin href="/assets/app-p.css"></head>';

// A floor page names its own code in its HTML, so a phone fetches it beside the app's.
describe('route preload links', () => {
  it('name the page chunk, the chunks it imports and their styles (shared ones first), once each, leaving out what the HTML has', () => {
    expect(preloadTags(MANIFEST, 'src/pages/WallPage.vue', HTML).split('\n').map((l) => l.trim())).toEqual([
      '<link rel="modulepreload" crossorigin href="/assets/WallPage-w.js">',
      '<link rel="modulepreload" crossorigin href="/assets/screens-s.js">',
      '<link rel="stylesheet" crossorigin href="/assets/screens-s.css">',
      '<link rel="stylesheet" crossorigin href="/assets/WallPage-w.css">',
    ]);
  });

  it('add nothing for a page the manifest does not know', () => {
    expect(preloadTags(MANIFEST, 'src/pages/Gone.vue', HTML)).toBe('');
  });

  it('list pages that exist, matched by the paths the router gives them', () => {
    for (const { page } of PRELOADED_PAGES) expect(existsSync(new URL(`../../client/${page}`, import.meta.url)), page).toBe(true);
    const pageOf = (path: string) => PRELOADED_PAGES.find((p) => p.path.test(path))?.page;
    expect(pageOf('/wall/alpha')).toBe('src/pages/WallPage.vue');
    expect(pageOf('/console/alpha')).toBe('src/pages/ConsolePage.vue');
    expect(pageOf('/sites/alpha')).toBe('src/pages/SitePage.vue');
    expect(pageOf('/sites/alpha/report')).toBeUndefined();
    expect(pageOf('/')).toBeUndefined();
  });
});
