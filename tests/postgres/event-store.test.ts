import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { openPostgres, type PgConnection } from '../../db/pg/connection';
import { VersionConflict, versionConflictOf, type StoreTransaction } from '../../db/store';
import { removeDir } from '../support/server';
import { describePostgres, newDatabase } from '../support/pg';
import { actor, addPatient, caseEvent, caseState, scheduleCase } from './pg-fixtures';

describePostgres('PostgreSQL event store', () => {
  let url: string;
  // Two app instances on one database: each its own pool, as two processes would hold.
  let a: PgConnection;
  let b: PgConnection;

  beforeAll(async () => {
    url = await newDatabase('store');
    // Started together, as two instances behind a balancer are: the migration lock lets one migrate.
    [a, b] = await Promise.all([openPostgres(url, { max: 8 }), openPostgres(url, { max: 8 })]);
    await addPatient(a.pool, 'p1');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('stores a case and its events and reads them back as the SQLite store does', async () => {
    const first = await a.store.transaction(async (tx) => {
      const scheduled = await scheduleCase(tx, 'c-read', 'p1');
      await tx.saveCase(caseState('c-read', 2, { stage: 'admitted' }), '2026-12-01', null, '2026-12-01T07:05:00.000Z');
      await tx.append({ caseId: 'c-read', version: 2 }, caseEvent('PatientAdmitted', { phone: '0600' }));
      return scheduled;
    });
    const state = await b.store.loadCase('c-read');
    expect(state).toMatchObject({ id: 'c-read', version: 2, stage: 'admitted' });
    expect((await b.store.casesOfDay('2026-12-01')).map((s) => s.id)).toContain('c-read');
    expect((await b.store.caseJsonOfDay('2026-12-01')).map((s) => JSON.parse(s) as { id: string }).map((s) => s.id)).toContain('c-read');
    const timeline = await b.store.timeline('c-read');
    expect(timeline.map((e) => [e.version, e.event.type, e.event.actor])).toEqual([
      [1, 'CaseScheduled', actor],
      [2, 'PatientAdmitted', actor],
    ]);
    expect(timeline[1]!.event.data).toEqual({ phone: '0600' });
    expect(await b.store.eventsSince(first.seq, 10)).toEqual([timeline[1]]);
    expect((await b.store.latestEvents(1))[0]!.seq).toBe(await b.store.lastSeq());
    expect(await b.store.recordedAt(first.seq)).toBe('2026-12-01T08:00:00.000Z');
    expect(await b.store.recordedAt(999_999)).toBeNull();
    expect(await b.store.staleCaseCount()).toBe(0);
    const streams = [];
    for await (const stream of b.store.caseStreams()) streams.push(stream);
    expect(streams.find((s) => s.caseId === 'c-read')?.events.map((e) => e.version)).toEqual([1, 2]);
  });

  it('walks every case stream across pages of the log, each case once, in version order', async () => {
    const db = await openPostgres(await newDatabase('streams'), { max: 2 });
    try {
      await addPatient(db.pool, 'p');
      // Two cases of 700 events: the walk's pages of 1,000 end inside the second case's stream.
      for (const caseId of ['c-1', 'c-2']) {
        await db.store.transaction(async (tx) => {
          await scheduleCase(tx, caseId, 'p');
          for (let version = 2; version <= 700; version++) await tx.append({ caseId, version }, caseEvent('VitalsRecorded'));
        });
      }
      const streams = [];
      for await (const stream of db.store.caseStreams()) streams.push({ caseId: stream.caseId, versions: stream.events.map((e) => e.version) });
      const versions = Array.from({ length: 700 }, (_, i) => i + 1);
      expect(streams).toEqual([
        { caseId: 'c-1', versions },
        { caseId: 'c-2', versions },
      ]);
    } finally {
      await db.close();
    }
  });

  it('keeps the log append-only in the database itself', async () => {
    await expect(a.pool.query("update events set type = 'Forged'")).rejects.toThrow('events is append-only');
    await expect(a.pool.query('delete from events')).rejects.toThrow('events is append-only');
  });

  it('moves rooms and rewrites devices inside the transaction', async () => {
    await a.pool.query("insert into rooms (id, name, status_since) values ('r1', 'Salle 1', '2026-12-01T07:00:00.000Z')");
    await a.store.transaction(async (tx) => {
      await scheduleCase(tx, 'c-dev', 'p1');
      const devices = [{ kind: 'probe', lot: 'L1', at: '2026-12-01T08:10:00.000Z' }];
      await tx.saveDevices(caseState('c-dev', 1, { devices } as Partial<ReturnType<typeof caseState>>));
      await tx.setRoomStatus('r1', 'occupied', 'c-dev', '2026-12-01T08:10:00.000Z');
    });
    expect(await b.store.rooms()).toEqual([{ id: 'r1', name: 'Salle 1', status: 'occupied', caseId: 'c-dev', since: '2026-12-01T08:10:00.000Z' }]);
    expect((await b.pool.query('select case_id, lot from case_devices')).rows).toEqual([{ case_id: 'c-dev', lot: 'L1' }]);
  });

  it('two instances racing the same version of a case: exactly one wins, the other gets the conflict and stores nothing', async () => {
    await a.store.transaction((tx) => scheduleCase(tx, 'c-race', 'p1'));
    const before = await a.store.lastSeq();
    const write = (side: PgConnection, who: string) =>
      side.store.transaction((tx) => tx.append({ caseId: 'c-race', version: 2 }, caseEvent('VitalsRecorded', { who })));
    const results = await Promise.allSettled([write(a, 'A'), write(b, 'B')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(VersionConflict);
    expect(refused.reason).toMatchObject({ caseId: 'c-race', version: 2 });
    const timeline = await a.store.timeline('c-race');
    expect(timeline.map((e) => e.version)).toEqual([1, 2]);
    // The loser's rolled-back append left no hole: the next event takes the very next seq.
    expect(timeline[1]!.seq).toBe(before + 1);
    const next = await a.store.transaction((tx) => tx.append({ caseId: 'c-race', version: 3 }, caseEvent('VitalsRecorded')));
    expect(next.seq).toBe(before + 2);
  });

  it('reports the conflict the SQLite store runs into the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cryoday-conflict-'));
    const sqlite = openDatabase(join(dir, 'c.sqlite'));
    try {
      sqlite.sqlite.prepare("insert into patients (id, mrn, first_name, last_name, birth_date, created_at) values ('p', 'p', 'A', 'B', '1950-01-01', 'x')").run();
      sqlite.store.saveCase(caseState('c', 1), '2026-12-01', 'p', 'x');
      sqlite.store.append({ caseId: 'c', version: 1 }, caseEvent('CaseScheduled'));
      let thrown: unknown;
      try {
        sqlite.store.append({ caseId: 'c', version: 1 }, caseEvent('CaseScheduled'));
      } catch (error) {
        thrown = error;
      }
      expect(versionConflictOf(thrown, { caseId: 'c', version: 1 })).toMatchObject({ caseId: 'c', version: 1 });
      expect(versionConflictOf(new Error('disk full'))).toBeNull();
    } finally {
      sqlite.close();
      removeDir(dir);
    }
  });

  it('replays an Idempotency-Key sent to both instances at once: one command applied, one answer', async () => {
    await a.store.transaction((tx) => scheduleCase(tx, 'c-key', 'p1'));
    // What execute.ts does with a key: the first answer stands, a retry gets it back.
    const command = (tx: StoreTransaction) => async () => {
      const prior = await tx.answerOf(actor.id, 'key-1');
      if (prior) return prior.body;
      const state = (await tx.loadCase('c-key'))!;
      const stored = await tx.append({ caseId: 'c-key', version: state.version + 1 }, caseEvent('VitalsRecorded'));
      await tx.saveCase(caseState('c-key', state.version + 1), '2026-12-01', null, '2026-12-01T08:00:00.000Z');
      const body = { seq: stored.seq };
      await tx.rememberAnswer(actor.id, 'key-1', { requestHash: 'h', statusCode: 200, body }, '2026-12-01T08:00:00.000Z');
      return body;
    };
    const answers = await Promise.all([a.store.transaction((tx) => command(tx)()), b.store.transaction((tx) => command(tx)())]);
    expect(answers[0]).toEqual(answers[1]);
    expect((await a.store.timeline('c-key')).map((e) => e.version)).toEqual([1, 2]);
  });

  it('a savepoint undoes one command of a group and leaves no hole in seq', async () => {
    await a.store.transaction((tx) => scheduleCase(tx, 'c-group', 'p1'));
    const before = await a.store.lastSeq();
    const outcomes = await a.store.transaction(async (tx) => {
      const one = await tx.savepoint(() => tx.append({ caseId: 'c-group', version: 2 }, caseEvent('VitalsRecorded')));
      const refused = await tx
        .savepoint(async () => {
          await tx.append({ caseId: 'c-group', version: 3 }, caseEvent('VitalsRecorded'));
          throw new Error('refused after its first write');
        })
        .catch((error: Error) => error.message);
      const three = await tx.savepoint(() => tx.append({ caseId: 'c-group', version: 3 }, caseEvent('ProbeInserted')));
      return [one.seq, refused, three.seq];
    });
    expect(outcomes).toEqual([before + 1, 'refused after its first write', before + 2]);
    expect((await a.store.timeline('c-group')).map((e) => e.event.type)).toEqual(['CaseScheduled', 'VitalsRecorded', 'ProbeInserted']);
  });

  it('never reports as stored a transaction an error aborted', async () => {
    await a.store.transaction((tx) => scheduleCase(tx, 'c-aborted', 'p1'));
    const swallowing = a.store.transaction(async (tx) => {
      await tx.append({ caseId: 'c-aborted', version: 1 }, caseEvent('Duplicate')).catch(() => null);
      return 'answered';
    });
    await expect(swallowing).rejects.toThrow('rolled back');
    expect((await a.store.timeline('c-aborted')).map((e) => e.event.type)).toEqual(['CaseScheduled']);
  });

  it('an instance that stalls mid-command loses its transaction instead of stopping every writer', async () => {
    const impatient = await openPostgres(url, { max: 2, idleInTransactionMs: 300 });
    try {
      let stalled = true;
      const stalling = impatient.store.transaction(async (tx) => {
        await new Promise((r) => setTimeout(r, 2_000));
        return tx.append({ roomId: 'stall' }, caseEvent('RoomReady') as never);
      });
      stalling.catch(() => {}).finally(() => (stalled = false));
      // Waits behind the stalled transaction's head lock until the server ends it.
      const other = await b.store.transaction((tx) => tx.append({ roomId: 'other' }, caseEvent('RoomReady') as never));
      expect(stalled).toBe(true);
      await expect(stalling).rejects.toThrow();
      expect(await a.store.lastSeq()).toBe(other.seq);
      // The pool replaced the dead connection: the instance writes again.
      const after = await impatient.store.transaction((tx) => tx.append({ roomId: 'stall' }, caseEvent('RoomReady') as never));
      expect(after.seq).toBe(other.seq + 1);
    } finally {
      await impatient.close();
    }
  });

  it('8 writers on 2 instances append 8 × 100 events: seq runs 1..N without a gap, and a reader polling meanwhile never sees a hole', async () => {
    const writers = 8;
    // Each append is its own transaction and fsync, one after the other: the count buys interleavings, not load.
    const perWriter = 100;
    const start = await a.store.lastSeq();
    const total = start + writers * perWriter;
    let readerSeq = start;
    let holes = 0;
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing || readerSeq < total) {
        const rows = await b.store.eventsSince(readerSeq, 1000);
        reads++;
        for (const row of rows) {
          if (row.seq !== readerSeq + 1) holes++;
          readerSeq = row.seq;
        }
        if (rows.length === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const side = w % 2 === 0 ? a : b;
        for (let i = 0; i < perWriter; i++) {
          await side.store.transaction((tx) => tx.append({ roomId: `room-${w}` }, caseEvent('RoomReady', { w, i }) as never));
        }
      }),
    );
    writing = false;
    await reader;
    expect(holes).toBe(0);
    expect(reads).toBeGreaterThan(1);
    const { rows } = await a.pool.query<{ n: number; low: number; high: number }>('select count(*) as n, min(seq) as low, max(seq) as high from events');
    expect(rows[0]).toEqual({ n: total, low: 1, high: total });
  });
});
