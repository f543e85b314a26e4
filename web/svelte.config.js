import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: Fastify serves index.html for every non-API path.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    alias: { $shared: '../shared' },
    // The unit tests of web/src/lib import through the same aliases: checked with the web (svelte-check).
    typescript: { config: (config) => ({ ...config, include: [...config.include, '../../tests/unit/web/**/*.ts'] }) },
    // Hashes of the few inline bootstrap scripts SvelteKit emits go into the CSP, so no 'unsafe-inline' is needed.
    csp: { mode: 'hash', directives: { 'script-src': ['self'] } },
  },
};
