import { temporaryBundle } from '../../scripts/server-bundle.mjs';

export interface Bundle {
  /** The bundled file of each entry, by its path in the repo ("server/main.ts"). */
  path(entry: string): string;
  remove(): void;
}

/**
 * Our TypeScript entry points compiled once into plain JavaScript, as `npm start` runs them, so a test
 * that starts the server or a CLI as its own process many times pays node's start, not tsx's compile of
 * every module at each start (about 1 s on these machines).
 */
export async function bundleEntries(entries: string[], options: { withPackages?: boolean } = {}): Promise<Bundle> {
  return temporaryBundle(entries, 'bundle-', options);
}
