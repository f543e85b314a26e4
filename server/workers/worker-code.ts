import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Which store the worker reads: each has its own entry, so a SQLite worker's code never holds the PostgreSQL driver. */
export type WorkerStore = 'sqlite' | 'postgres';

const ENTRIES: Record<WorkerStore, URL> = {
  sqlite: new URL('./worker-entry.ts', import.meta.url),
  postgres: new URL('./pg-worker-entry.ts', import.meta.url),
};

// The worker runs from a data: URL, which can import absolute file URLs but not package names: the
// drivers are imported by their files, everything else is bundled in, and each module keeps the
// import.meta.url of its source file so the paths it resolves from it stay right.
const driversByFile: Plugin = {
  name: 'drivers-by-file',
  setup(b) {
    const fileOf = (name: string) => pathToFileURL(createRequire(ENTRIES.sqlite).resolve(name)).href;
    b.onResolve({ filter: /^(better-sqlite3|pg)$/ }, (args) => ({ path: fileOf(args.path), external: true }));
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

const compiled: Partial<Record<WorkerStore, Promise<URL>>> = {};

/**
 * The worker's TypeScript compiled once per process into one module (about half a second), however the
 * server itself was loaded (tsx under `npm run dev` and `npm start`, the test bundle, vitest): a worker
 * then starts in a fraction of a second, without a TypeScript loader of its own.
 */
export function workerCode(store: WorkerStore = 'sqlite'): Promise<URL> {
  const code = (compiled[store] ??= build({
    entryPoints: [fileURLToPath(ENTRIES[store])],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [driversByFile],
  }).then(
    (out) => new URL(`data:text/javascript,${encodeURIComponent(out.outputFiles[0]!.text)}`),
    (error: unknown) => {
      delete compiled[store];
      throw error;
    },
  ));
  return code;
}
