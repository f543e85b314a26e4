// The server's TypeScript compiled into plain JavaScript modules with esbuild (packages stay in
// node_modules). `npm start` runs the result, so production carries no TypeScript loader (about 25 MB of
// memory and a second of start-up that tsx spends compiling every module); the tests and the bench start
// the same build.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');

/**
 * The node flags the server runs with, wherever it is started from its bundle (npm start, the image, the bench).
 * A young generation of 1 MB semi-spaces instead of V8's 16: the server's garbage is small and short-lived
 * (requests, frames, rows). On a year of history with 500 boards while the exports ran (`npm run bench`),
 * 16 MB semi-spaces peaked at 356 MB of RSS and a 103 ms boards' p99, 4 MB at 305 MB and 47 ms, 1 MB at
 * 221 MB and 40 ms.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=1'];

/**
 * Each module keeps the import.meta.url of its source file, so the paths it resolves from it (the
 * migrations folder, the built site, the report worker's entry) are the ones the sources would find.
 * @type {import('esbuild').Plugin}
 */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

// Left out even of a bundle with its packages: native, or reading files beside their own code
// (worker scripts, static assets, dictionaries loaded on first use), or optional and absent.
const UNBUNDLED = ['better-sqlite3', 'esbuild', 'pino', 'thread-stream', '@fastify/swagger', '@fastify/swagger-ui', 'pg-native', '@zxcvbn-ts/*'];

/**
 * Bundles `entries` (paths in the repo, "server/main.ts") into `dir`, which must be inside the repo so node
 * finds the packages left out in node_modules. Returns each entry's file.
 * `withPackages` bundles the packages too (but UNBUNDLED): node then reads one file instead of resolving
 * and loading hundreds, about a third of a command-line tool's start. The server keeps its packages apart.
 * @param {string[]} entries
 * @param {string} dir
 * @param {{ withPackages?: boolean }} [options]
 * @returns {Promise<{ dir: string; path: (entry: string) => string; remove: () => void }>}
 */
export async function bundleServer(entries, dir, { withPackages = false } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outbase: root,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // Modules imported only when needed (the PostgreSQL side, on a SQLite server) become chunks of their own,
    // with the packages they import: a SQLite server never loads the PostgreSQL driver.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(withPackages
      ? {
          external: UNBUNDLED,
          // The CommonJS packages inside an ES module still call require() for node's own modules.
          banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
        }
      : { packages: 'external' }),
    // Stack traces in the logs point at the TypeScript lines (node runs with --enable-source-maps).
    sourcemap: 'linked',
    plugins: [keepSourceUrls],
    logLevel: 'error',
  });
  return {
    dir,
    path: (entry) => join(dir, entry.replace(/\.ts$/, '.mjs')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The same, into a new folder of `.tmp/` named `prefix` and a random suffix (a test's, a bench run's, one
 * `npm start`'s), for its caller to remove.
 * @param {string[]} entries
 * @param {string} prefix
 * @param {{ withPackages?: boolean }} [options]
 */
export function temporaryBundle(entries, prefix, options) {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  return bundleServer(entries, mkdtempSync(join(root, '.tmp', prefix)), options);
}

// `node scripts/server-bundle.mjs <dir>`: the server's bundle for an image (the Dockerfile).
if (process.argv[1] === import.meta.filename) {
  const dir = resolve(process.argv[2] ?? 'build/server');
  rmSync(dir, { recursive: true, force: true });
  await bundleServer(['server/main.ts', 'server/cli/users.ts', 'server/cli/backup.ts', 'server/cli/rebuild.ts'], dir);
}
