import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The floor pages' code, named in the page itself. The client loads each page's chunk only once
 * Vue, the router and the app have been fetched and run; on a phone (CPU 4× slower, 150 ms round
 * trips) that left the network idle for most of a second before the page's own 30 kB were even
 * asked for. Named in the HTML, they come down beside the rest. Only pages a person (or a wall)
 * opens directly are listed; the keys are the page modules as Vite's manifest names them.
 */
export const PRELOADED_PAGES: ReadonlyArray<{ path: RegExp; page: string }> = [
  { path: /^\/wall\/[^/]+\/?$/, page: 'src/pages/WallPage.vue' },
  { path: /^\/console\/[^/]+\/?$/, page: 'src/pages/ConsolePage.vue' },
  { path: /^\/sites\/[^/]+\/?$/, page: 'src/pages/SitePage.vue' },
];

/** One entry of Vite's build manifest (dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/**
 * The `<link>` tags that fetch a page's chunk, the chunks it imports and its styles. Styles come
 * after those of the chunks they import, as the client's loader would add them: the page's own
 * rules win the cascade over shared ones of equal specificity.
 */
export function preloadTags(manifest: Manifest, page: string, alreadyInHtml: string): string {
  const files: string[] = [];
  const css: string[] = [];
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.includes(chunk.file)) return;
    files.push(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
    for (const sheet of chunk.css ?? []) if (!css.includes(sheet)) css.push(sheet);
  };
  visit(page);
  // The page's styles block its first paint anyway (there is nothing to paint before it mounts);
  // the client's loader sees these links and does not add them again.
  return [
    ...files.filter((f) => !alreadyInHtml.includes(`/${f}"`)).map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
    ...css.filter((f) => !alreadyInHtml.includes(`/${f}"`)).map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
  ].join('\n    ');
}

/**
 * index.html for a path, with its page's preload links when it is one of the PRELOADED_PAGES.
 * Read again when a build replaces index.html (tests rebuild the client beside a running server).
 */
export function pageHtml(dist: string): (path: string) => string {
  const indexFile = join(dist, 'index.html');
  let cached: { mtimeMs: number; plain: string; byPage: Map<string, string> } | null = null;
  return (path) => {
    const mtimeMs = statSync(indexFile).mtimeMs;
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const plain = readFileSync(indexFile, 'utf8');
      let manifest: Manifest = {};
      try {
        manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
      } catch {
        // A build without a manifest still works: its pages load their code as before.
      }
      const byPage = new Map<string, string>();
      for (const { page } of PRELOADED_PAGES) {
        const tags = preloadTags(manifest, page, plain);
        if (tags) byPage.set(page, plain.replace('</head>', `  ${tags}\n  </head>`));
      }
      cached = { mtimeMs, plain, byPage };
    }
    const page = PRELOADED_PAGES.find((p) => p.path.test(path))?.page;
    return (page && cached.byPage.get(page)) ?? cached.plain;
  };
}
