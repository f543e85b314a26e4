import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ENTRY = new URL('./worker-entry.ts', import.meta.url);

// The worker runs from a data: URL, which can import absolute file URLs but not package names: the
// native driver is imported by its file, everything else is bundled in, and each module keeps the
// import.meta.url of its source file so the paths it resolves from it stay right.
const driverByFile: Plugin = {
  name: 'driver-by-file',
  setup(b) {
    const driver = pathToFileURL(createRequire(ENTRY).resolve('better-sqlite3')).href;
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: driver, external: true }));
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

let compiled: Promise<URL> | null = null;

/**
 * The worker's TypeScript compiled once per process into one module (about half a second), however the
 * server itself was loaded (tsx under `npm run dev` and `npm start`, the test bundle, vitest): a worker
 * then starts in a fraction of a second, without a TypeScript loader of its own.
 */
export function workerCode(): Promise<URL> {
  compiled ??= build({
    entryPoints: [fileURLToPath(ENTRY)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [driverByFile],
  }).then(
    (out) => new URL(`data:text/javascript,${encodeURIComponent(out.outputFiles[0]!.text)}`),
    (error: unknown) => {
      compiled = null;
      throw error;
    },
  );
  return compiled;
}
