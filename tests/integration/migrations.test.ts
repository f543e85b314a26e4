import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase } from '../../db/connection';
import { Api, TEST_PASSWORD } from '../support/api';
import { prepareDatabase } from '../support/process';
import { removeDir, startServer } from '../support/server';

describe('migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-migrate-'));
  afterAll(() => removeDir(dir));

  it('upgrades a database made by the first release on start, keeping every row', async () => {
    // A copy of the migrations as the first release shipped them: the journal's first entry only.
    const firstRelease = join(dir, 'migrations-v1');
    cpSync(MIGRATIONS_FOLDER, firstRelease, { recursive: true });
    const journalPath = join(firstRelease, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    expect(journal.entries.length).toBeGreaterThan(1);
    journal.entries = journal.entries.slice(0, 1);
    writeFileSync(journalPath, JSON.stringify(journal));

    const databasePath = join(dir, 'old.sqlite');
    await prepareDatabase(databasePath, firstRelease);
    const before = openDatabase(databasePath, firstRelease);
    const indexesBefore = before.sqlite.prepare("select name from sqlite_master where type = 'index' and name = 'events_room_idx'").all();
    before.close();
    expect(indexesBefore).toEqual([]);

    const server = await startServer({ DATABASE_PATH: databasePath }, dir);
    try {
      const nurse = await Api.login(server, 'nurse', TEST_PASSWORD);
      expect((await nurse.get('/api/auth/me')).body.role).toBe('nurse');
      const sqlite = server.app.database.sqlite;
      expect(sqlite.prepare("select name from sqlite_master where type = 'index' and name = 'events_room_idx'").all()).toHaveLength(1);
      expect((sqlite.prepare('select count(*) n from staff').get() as { n: number }).n).toBe(4);
      expect((sqlite.prepare('select count(*) n from display_tokens').get() as { n: number }).n).toBe(1);
    } finally {
      await server.close();
    }
  });
});
