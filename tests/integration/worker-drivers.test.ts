import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerCode, type WorkerStore } from '../../server/workers/worker-code';

const require = createRequire(import.meta.url);
const fileOf = (name: string) => pathToFileURL(require.resolve(name)).href;
const source = async (store: WorkerStore) => decodeURIComponent((await workerCode(store)).href.slice('data:text/javascript,'.length));

describe('the report worker code of each store', () => {
  it('given a SQLite server, then its worker imports the SQLite driver and nothing of PostgreSQL', async () => {
    const code = await source('sqlite');
    expect(code).toContain(fileOf('better-sqlite3'));
    expect(code).not.toContain(fileOf('pg'));
    expect(code).not.toMatch(/node_modules\/pg[/-]/);
    expect(code).not.toContain('application_name');
  });

  it('given a PostgreSQL server, then its worker imports the pg driver by its file and not the SQLite one', async () => {
    const code = await source('postgres');
    expect(code).toContain(fileOf('pg'));
    expect(code).not.toContain(fileOf('better-sqlite3'));
  });
});
