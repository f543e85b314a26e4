import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One group: the unit, integration and browser files together, two files at a time on the 2-core
// machines, so neither core idles while the other finishes a long file (alone, the unit files left one
// core idle a third of their time, behind the property test). Every file starts its own server on a
// port the OS picks, with its database in its own temporary folder, so two files never share state;
// what they share is the CPU, and no test asserts on speed (bench/ measures that).
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // The web's own modules (tests/unit/web/) import through SvelteKit's aliases, and some hold
        // their state in runes ($state), which only the Svelte compiler turns into JavaScript. The files
        // share their worker's loaded modules: importing them again was two thirds of the project's time,
        // none mocks a module, and the two that change a module's state (language, unit zone, clock) put it back.
        plugins: [svelte({ configFile: false })],
        resolve: { alias: { $lib: here('./web/src/lib'), $shared: here('./shared') } },
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        // The integration files share their worker's loaded modules (the server's import is a second or two
        // per file): each builds its own app from its own config and closes it, and none keeps state in a module.
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], isolate: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        // The PostgreSQL store against a real cluster: one per run (initdb takes seconds), one database per file.
        test: {
          name: 'postgres',
          include: ['tests/postgres/**/*.test.ts'],
          globalSetup: ['tests/support/postgres-cluster.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        // A browser walk whose pages logged an error fails. The walks share their worker's loaded modules
        // too (a third of a walk file's time was importing the server and playwright again): each opens its
        // own server and browser contexts and closes them, and the console guard empties its list per test.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          isolate: false,
          setupFiles: ['tests/support/console-guard.ts'],
          globalSetup: ['tests/support/chromium-server.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
