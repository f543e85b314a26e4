import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPragmas } from '../../db/connection';
import { SqliteStore } from '../../db/sqlite-store';
import { GroupCommit } from '../../server/cases/group-commit';
import { removeDir } from '../support/server';

// The group commit's promise: a command is answered "recorded" exactly when it is on disk.
describe('group commit', () => {
  let dir: string;
  let sqlite: Database.Database;
  let store: SqliteStore;
  let group: GroupCommit;
  const stored = () => (sqlite.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v);
  const write = (v: string) => sqlite.prepare('insert into t (v) values (?)').run(v).changes;
  const insert = (v: string) => async () => write(v);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cryoday-group-'));
    sqlite = new Database(join(dir, 'group.sqlite'));
    applyPragmas(sqlite);
    sqlite.exec('create table t (v text not null unique)');
    store = new SqliteStore(sqlite);
    group = new GroupCommit(store);
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
    const halfway = async () => {
      write('half-1');
      write('half-2');
      throw new Error('refused after two writes');
    };
    const results = await Promise.allSettled([group.run(insert('a')), group.run(halfway), group.run(insert('b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('refused after two writes');
    expect(stored()).toEqual(['a', 'b']);
  });

  it('answers every command of a group as lost, and stores none, when SQLite rolls the whole group back', async () => {
    // What SQLite does on a fatal error (disk full, I/O error) mid-transaction: the outer transaction is gone.
    const fatal = async () => {
      sqlite.exec('rollback');
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    // An ordinary refusal (a duplicate) comes first in the group: the others must hear the fatal error, not that one.
    write('x');
    const results = await Promise.allSettled([group.run(insert('a')), group.run(insert('x')), group.run(fatal), group.run(insert('c'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toContain('SQLITE_FULL');
    expect(stored()).toEqual(['x']);
    // The next tick works again.
    await expect(group.run(insert('d'))).resolves.toBe(1);
    expect(stored()).toEqual(['d', 'x']);
  });

  it('answers nobody before the group has committed', async () => {
    // Another connection sees only what was committed.
    const reader = new Database(join(dir, 'group.sqlite'), { readonly: true });
    const committed = () => (reader.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v);
    const seen: string[][] = [];
    await Promise.all(['a', 'b'].map((v) => group.run(insert(v)).then(() => seen.push(committed()))));
    reader.close();
    // Each answer already found both rows committed: the group's commit came before the first answer.
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);
  });
});

// The SQLite store's transaction holds the one shared connection: misuse is an error, never a silent share.
describe('the SQLite store transaction', () => {
  let dir: string;
  let sqlite: Database.Database;
  let store: SqliteStore;
  const stored = () => (sqlite.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cryoday-store-'));
    sqlite = new Database(join(dir, 'store.sqlite'));
    applyPragmas(sqlite);
    sqlite.exec('create table t (v text not null unique)');
    store = new SqliteStore(sqlite);
  });
  afterEach(() => {
    sqlite.close();
    removeDir(dir);
  });

  it('given a transaction open, when another is opened, then it is refused and the first still commits', async () => {
    await store.transaction(async () => {
      sqlite.prepare("insert into t (v) values ('outer')").run();
      await expect(store.transaction(async () => 'inner')).rejects.toThrow(/already open/);
    });
    expect(stored()).toEqual(['outer']);
  });

  it('given work that awaits a timer, when it ends, then everything it wrote is rolled back and it fails', async () => {
    const work = store.transaction(async () => {
      sqlite.prepare("insert into t (v) values ('late')").run();
      await sleep(5);
    });
    await expect(work).rejects.toThrow(/awaited something other than its store/);
    expect(stored()).toEqual([]);
  });

  it('given a transaction open, when the store is read outside it, then the read is refused', async () => {
    await store.transaction(async () => {
      await expect(store.lastSeq()).rejects.toThrow(/uncommitted/);
    });
  });

  it('given a savepoint open, when another is opened inside it, then it is refused', async () => {
    await store.transaction(async (tx) => {
      await tx.savepoint(async () => {
        await expect(tx.savepoint(async () => 1)).rejects.toThrow(/already open/);
      });
    });
  });
});
