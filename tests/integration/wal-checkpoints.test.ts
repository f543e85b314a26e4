import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../../server/workers/checkpointer';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';
import { until } from '../support/until';


// SQLite's own checkpoint would run inside a commit, on the event loop, once the WAL passes 1,000
// pages; the server leaves it to a thread of its own, here every second.
describe('WAL checkpoints', () => {
  let server: TestServer;
  let coordinator: Api;

  beforeAll(async () => {
    server = await startServer({ WAL_CHECKPOINT_SECONDS: '1' });
    await seedStaff(server);
    coordinator = await Api.login(server, 'coordinator');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('copies the WAL into the database file from their own thread, the commits never doing it themselves', async () => {
    // Given a server whose commits checkpoint only past the fallback, far beyond what this test writes
    const sqlite = server.app.database.sqlite;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    const file = server.config.databasePath;
    await until(() => (server.app.checkpointer?.last ?? null) !== null, 'a first checkpoint');
    const before = statSync(file).mtimeMs;
    // When cases are booked (a few hundred WAL pages at most)
    for (let i = 0; i < 30; i++) expect((await coordinator.post('/api/cases', newCaseBody())).status).toBe(201);
    // Then the background thread writes them into the database file, every frame of the WAL
    await until(() => statSync(file).mtimeMs > before, 'the database file to be written');
    await until(() => {
      const last = server.app.checkpointer!.last!;
      return last.log > 0 && last.checkpointed === last.log;
    }, 'every frame to be checkpointed');
  });
});
