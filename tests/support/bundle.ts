import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

// Each module keeps the import.meta.url of its source file, so the paths it resolves from it (the
// migrations folder, the built site) are the ones `node --import tsx` would find.
const keepSourceUrls: Plugin = {
  name: 'keep-source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

export interface Bundle {
  /** The bundled file of each entry, by its path in the repo ("server/main.ts"). */
  path(entry: string): string;
  remove(): void;
}

/**
 * Our TypeScript entry points compiled once into plain JavaScript (packages stay in node_modules), so a
 * test that starts the server or a CLI as its own process many times pays node's start, not tsx's
 * compile of every module at each start (about 1 s on these machines).
 */
export async function bundleEntries(entries: string[]): Promise<Bundle> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  // Inside the repo, so node finds the packages the bundle leaves out in node_modules.
  const outdir = mkdtempSync(join(ROOT, '.tmp', 'bundle-'));
  await build({
    absWorkingDir: ROOT,
    entryPoints: entries,
    outbase: ROOT,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [keepSourceUrls],
    logLevel: 'error',
  });
  return {
    path: (entry) => join(outdir, entry.replace(/\.ts$/, '.mjs')),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
