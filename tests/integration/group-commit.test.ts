import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../db/connection';
import { GroupCommit } from '../../server/cases/group-commit';
import { removeDir } from '../support/server';

// The group commit's promise: a command is answered "recorded" exactly when it is on disk.
describe('group commit', () => {
  let dir: string;
  let sqlite: Database.Database;
  let group: GroupCommit;
  const stored = () => (sqlite.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v);
  const insert = (v: string) => () => sqlite.prepare('insert into t (v) values (?)').run(v).changes;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cryoday-group-'));
    sqlite = new Database(join(dir, 'group.sqlite'));
    applyPragmas(sqlite);
    sqlite.exec('create table t (v text not null unique)');
    group = new GroupCommit(sqlite);
  });
  afterEach(() => {
    sqlite.close();
    removeDir(dir);
  });

  it('commits the commands of one tick together; a refused one rolls back alone', async () => {
    const results = await Promise.allSettled([group.run(insert('a')), group.run(insert('a')), group.run(insert('b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(stored()).toEqual(['a', 'b']);
  });

  it('undoes every write of a command that throws halfway, and only that command', async () => {
    // Its first write succeeds, the second too, then it refuses: each statement alone was fine, so only
    // the command's savepoint can take both back.
    const halfway = () => {
      insert('half-1')();
      insert('half-2')();
      throw new Error('refused after two writes');
    };
    const results = await Promise.allSettled([group.run(insert('a')), group.run(halfway), group.run(insert('b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('refused after two writes');
    expect(stored()).toEqual(['a', 'b']);
  });

  it('answers every command of a group as lost, and stores none, when SQLite rolls the whole group back', async () => {
    // What SQLite does on a fatal error (disk full, I/O error) mid-transaction: the outer transaction is gone.
    const fatal = () => {
      sqlite.exec('rollback');
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    // An ordinary refusal (a duplicate) comes first in the group: the others must hear the fatal error, not that one.
    sqlite.prepare("insert into t (v) values ('x')").run();
    const results = await Promise.allSettled([group.run(insert('a')), group.run(insert('x')), group.run(fatal), group.run(insert('c'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toContain('SQLITE_FULL');
    expect(stored()).toEqual(['x']);
    // The next tick works again.
    await expect(group.run(insert('d'))).resolves.toBe(1);
    expect(stored()).toEqual(['d', 'x']);
  });
});
