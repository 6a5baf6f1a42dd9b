// `npm run build:server`: the server as plain JavaScript for production (no TypeScript compiler
// or tsx at run time). One ES module, server/dist/index.js, with its dependencies left to
// node_modules. Files the server reads next to its sources (`new URL('./command.lua',
// import.meta.url)`) are copied under server/dist/files/ and the URLs rewritten to match; a
// folder (the built client) is pointed at where it lies in the repository.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'server/dist');
const SIBLING_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

const dotted = (p: string) => (p.startsWith('.') ? p : `./${p}`);

/** Rewrites `new URL('<relative>', import.meta.url)` in our sources for the bundle's location. */
const siblingFiles: Plugin = {
  name: 'sibling-files',
  setup(b) {
    b.onLoad({ filter: /\/(server|shared)\/.*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(SIBLING_URL, (whole, quote: string, rel: string) => {
        const target = resolve(dirname(args.path), rel);
        if (!existsSync(target) && !rel.endsWith('/dist')) throw new Error(`${relative(ROOT, args.path)}: ${rel} does not exist`);
        if (existsSync(target) && statSync(target).isFile()) {
          const copy = join(OUT, 'files', relative(ROOT, target));
          mkdirSync(dirname(copy), { recursive: true });
          cpSync(target, copy);
          return `new URL(${quote}${dotted(relative(OUT, copy))}${quote}, import.meta.url)`;
        }
        return `new URL(${quote}${dotted(relative(OUT, target))}${quote}, import.meta.url)`;
      });
      return contents === source ? undefined : { contents, loader: 'ts' };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(ROOT, 'server/index.ts')],
  outfile: join(OUT, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  // For the operators' stack traces (node --enable-source-maps); never served to browsers.
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [siblingFiles],
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`server built: ${relative(ROOT, OUT)}/index.js (${Math.round(bytes / 1024)} kB with its source map)`);
