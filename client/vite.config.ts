import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
// The dev server forwards API and socket traffic to a locally running Roomwatch server.
const APP_MODULE = /[\\/](client[\\/]src|shared)[\\/]/;
const backend = process.env.ROOMWATCH_BACKEND ?? 'http://localhost:8080';

export default defineConfig({
  root: clientDir,
  // Every component is <script setup>: Vue's Options API support (data, methods, …) is dead weight.
  plugins: [vue({ features: { optionsAPI: false } })],
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Every file here is named after its content hash; the server caches them as immutable.
    assetsDir: 'assets',
    // dist/.vite/manifest.json: the server names a floor page's chunks in its HTML (server/http/routePreload.ts).
    manifest: true,
    // No source maps by default. ROOMWATCH_SOURCEMAPS=hidden writes them for the operators
    // (without the comment that points browsers at them); the server never serves *.map.
    sourcemap: process.env.ROOMWATCH_SOURCEMAPS === 'hidden' ? 'hidden' : false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // What every page runs (Vue, router, store, i18n, the socket) in one long-cached file:
            // left alone, Rolldown cuts the shared graph into a dozen small chunks, and on a phone
            // each costs a request with about 1 kB of response headers.
            { name: 'vendor', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify|socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)[\\/]/, priority: 3 },
            // Small shared app modules (stores, API helpers, shared maths, zod with them) merge into
            // two files instead of a request each: what start-up imports in `app`; what only the
            // floor pages share (wall, console, site) in `screens`, which the overview never loads.
            { name: 'app', test: APP_MODULE, tags: ['$initial'], maxModuleSize: 16 * 1024, priority: 2 },
            { name: 'screens', test: APP_MODULE, minShareCount: 2, maxModuleSize: 16 * 1024, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
