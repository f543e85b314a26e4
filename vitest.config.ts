import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One group: the unit, integration and browser files together, two files at a time on the 2-core
// machines, so neither core idles while the other finishes a long file (alone, the unit files left one
// core idle a third of their time, behind the property test). Every file starts its own server on a
// port the OS picks, with its database in its own temporary folder, so two files never share state;
// what they share is the CPU, and no test asserts on speed (bench/ measures that).
// Within the group, vitest runs the projects in the order of their names, each longest (or largest) file
// first: the unit project, named last, ended the run with its 10 s property test on one worker while the
// other idled. The unit files go first instead, then the browser walks, and the many short integration and
// PostgreSQL files last, where they fill both workers to the end.
// integration-pg, the integration files again on PostgreSQL, comes before the SQLite ones: its files are
// the longer, and the short SQLite and postgres files then fill both workers to the end.
const PROJECT_ORDER = ['unit', 'e2e', 'integration-pg', 'integration', 'postgres'];

// Where PostgreSQL is not installed, the integration files are not run twice: the project has no files and
// says why below (under CI it keeps them, and the cluster's globalSetup fails the run, as for the postgres project).
const postgresInstalled = spawnSync('pg_config', ['--bindir']).status === 0 || process.env.CI === 'true';
// Said once: the config is read again by each project and each worker.
const warned = globalThis as typeof globalThis & { cryodayNoPostgresSaid?: true };
if (!postgresInstalled && !process.env.VITEST_WORKER_ID && !warned.cryodayNoPostgresSaid) {
  warned.cryodayNoPostgresSaid = true;
  console.warn('\n  PostgreSQL is not installed (pg_config not found): the integration-pg project is SKIPPED. apt-get install postgresql to run it.\n');
}

// Files that prove a mechanism of SQLite itself, which PostgreSQL does not have or proves elsewhere.
const SQLITE_ONLY = [
  // The WAL checkpoint thread: PostgreSQL checkpoints on its own.
  'tests/integration/wal-checkpoints.test.ts',
  // SIGKILL during writes on the SQLite file, then the file reopened: tests/postgres/instances.test.ts
  // SIGKILLs an instance under load and finds every acknowledged command.
  'tests/integration/crash-safety.test.ts',
  // SQLite's query plans (EXPLAIN QUERY PLAN): no PostgreSQL counterpart checks its plans.
  'tests/integration/query-plans.test.ts',
  // SQLite's migrations from the first release's file: tests/postgres/event-store.test.ts migrates a
  // fresh database (db/pg/migrations has no older release to upgrade from).
  'tests/integration/migrations.test.ts',
  // `npm run backup`'s online copy of the SQLite file: tests/postgres/backup.test.ts follows pg_dump and
  // pg_restore into a working unit.
  'tests/integration/backup.test.ts',
  // The group commit over a bare SQLite connection and its savepoints: tests/postgres/command-path.test.ts
  // runs groups (a refusal in a group, a connection lost mid-group) on PostgreSQL.
  'tests/integration/group-commit.test.ts',
  // The report worker threads reading the SQLite file: tests/postgres/reports.test.ts checks the paged
  // PostgreSQL reports give the same bytes and figures.
  'tests/integration/report-workers.test.ts',
];

// Files whose tests never reach the store: run once, on SQLite, they prove the same on both.
const STORE_INDEPENDENT = [
  // Slow bodies and headers, cut by Node's HTTP timeouts before any route runs.
  'tests/integration/http-timeouts.test.ts',
  // The Host header check and the security headers, answered before (or beside) any read.
  'tests/integration/allowed-hosts.test.ts',
  'tests/integration/auth-headers.test.ts',
  // Pure functions of the reports, called without a server.
  'tests/integration/reports-functions.test.ts',
  // What each report worker's bundle imports, read from the bundles.
  'tests/integration/worker-drivers.test.ts',
  // How a driver's error is classified as "database out of reach", against sockets of its own.
  'tests/integration/database-unavailable.test.ts',
  // The FHIR definitions loading in slices on a fresh server's first post, before the booking reaches the store.
  'tests/integration/fhir-definitions.test.ts',
];

class UnitFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (file: TestSpecification) => PROJECT_ORDER.indexOf(file.project.name);
    // A stable sort: each project keeps the order vitest gave its files.
    return (await super.sort(files)).sort(
      (a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || rank(a) - rank(b),
    );
  }
}

export default defineConfig({
  test: {
    maxWorkers: 2,
    sequence: { sequencer: UnitFilesFirst },
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
        // The same integration files, each server on a fresh database of the run's PostgreSQL cluster
        // (tests/support/test-store.ts), copied from one migrated template.
        test: {
          name: 'integration-pg',
          include: postgresInstalled ? ['tests/integration/**/*.test.ts'] : [],
          exclude: [...SQLITE_ONLY, ...STORE_INDEPENDENT],
          env: { CRYODAY_TEST_STORE: 'postgres' },
          isolate: false,
          globalSetup: ['tests/support/postgres-cluster.ts'],
          sequence: { groupOrder: 1 },
        },
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
