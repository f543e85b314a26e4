import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold, type CaseEvent } from '../../shared';
import { LiveClient, TEST_PASSWORD, newCaseBody } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { prepareDatabase, spawnServer, type ServerProcess } from '../support/process';
import { removeDir } from '../support/server';

// Ten random kill points per run keep the file at a dozen seconds; CRASH_ROUNDS=200 npx vitest run
// tests/integration/crash-safety.test.ts tries many more before a release.
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
const TABLETS = 6;

async function login(url: string, username: string) {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

interface Pending {
  caseId: string;
  key: string;
  body: Record<string, unknown>;
}

describe('SIGKILL while tablets are sending commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-crash-'));
  const databasePath = join(dir, 'cryoday.sqlite');
  let server: ServerProcess | null = null;
  // A start per kill: node runs the bundled server rather than compiling it through tsx each time.
  let bundle: Bundle;
  const start = () => spawnServer(databasePath, {}, [bundle.path('server/main.ts')]);
  beforeAll(async () => {
    bundle = await bundleEntries(['server/main.ts']);
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    bundle?.remove();
    removeDir(dir);
  });

  it(`loses no acknowledged command and half-applies none, over ${ROUNDS} kills`, async () => {
    const { boardToken } = await prepareDatabase(databasePath);
    server = await start();
    const coordinator = await login(server.url, 'coordinator');
    const nurse = await login(server.url, 'nurse');
    const cases: { id: string; version: number }[] = [];
    for (let i = 0; i < TABLETS; i++) {
      const res = await fetch(`${server.url}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: coordinator }, body: JSON.stringify(newCaseBody()) });
      cases.push((await res.json()).case);
    }
    // What each tablet believes: acknowledged keys, and the one command in flight when the server died.
    const acknowledged = new Map<string, { seq: number; caseId: string }>();
    const inFlight: Pending[] = [];
    let boardSeq = 0;
    let counter = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const board = new LiveClient(`${server.wsUrl}/api/live?token=${boardToken}${boardSeq ? `&since=${boardSeq}` : ''}`);
      await board.waitFor((m) => m.some((x) => x.type === 'snapshot' || x.type === 'resumed'));
      // A replay that would weigh more than a snapshot is answered with the snapshot (never an older
      // one): the board then holds the whole state and its events follow on from the snapshot's seq.
      const answer = board.messages.find((x) => x.type === 'snapshot' || x.type === 'resumed');
      if (answer.type === 'snapshot') {
        expect(answer.seq).toBeGreaterThanOrEqual(boardSeq);
        boardSeq = answer.seq;
      }

      // Retry first what was in flight at the last kill, with its original key: applied exactly once.
      for (const pending of inFlight.splice(0)) {
        const res = await fetch(`${server.url}/api/cases/${pending.caseId}/commands`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: nurse, 'idempotency-key': pending.key },
          body: JSON.stringify(pending.body),
        });
        expect(res.status, await res.clone().text()).toBe(200);
        const answer = await res.json();
        acknowledged.set(pending.key, { seq: answer.events[0].seq, caseId: pending.caseId });
        cases.find((c) => c.id === pending.caseId)!.version = answer.case.version;
      }

      let killed = false;
      const tablets = cases.map(async (c) => {
        while (!killed) {
          const key = `crash-${round}-${++counter}`;
          const body = { type: 'record_vitals', heartRate: 60 + (counter % 50), systolic: 120, diastolic: 80, spo2: 97, expectedVersion: c.version };
          try {
            const res = await fetch(`${server!.url}/api/cases/${c.id}/commands`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie: nurse, 'idempotency-key': key },
              body: JSON.stringify(body),
            });
            const answer = await res.json();
            expect(res.status).toBe(200);
            acknowledged.set(key, { seq: answer.events[0].seq, caseId: c.id });
            c.version = answer.case.version;
          } catch (error) {
            if (!killed) throw error;
            inFlight.push({ caseId: c.id, key, body });
            return;
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      killed = true;
      server.child.kill('SIGKILL');
      await server.exited;
      await Promise.all(tablets);

      // The board held a prefix of the log with no gap and no duplicate.
      const seqs = board.events().map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      seqs.forEach((seq, i) => expect(seq).toBe((i === 0 ? boardSeq : seqs[i - 1]!) + 1));
      boardSeq = seqs.at(-1) ?? boardSeq;
      board.close();

      server = await start();
    }

    // After the last restart, flush the in-flight commands once more, then check the file itself.
    for (const pending of inFlight.splice(0)) {
      const res = await fetch(`${server.url}/api/cases/${pending.caseId}/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: nurse, 'idempotency-key': pending.key },
        body: JSON.stringify(pending.body),
      });
      expect(res.status).toBe(200);
      acknowledged.set(pending.key, { seq: (await res.json()).events[0].seq, caseId: pending.caseId });
    }
    server.child.kill('SIGKILL');
    await server.exited;
    server = null;

    const db = new Database(databasePath, { readonly: true });
    const bySeq = new Map((db.prepare('select seq, case_id, type from events').all() as { seq: number; case_id: string; type: string }[]).map((r) => [r.seq, r]));
    for (const [key, { seq, caseId }] of acknowledged) {
      expect(bySeq.get(seq), key).toMatchObject({ case_id: caseId, type: 'VitalsRecorded' });
    }
    for (const c of db.prepare('select id, version, state from cases').all() as { id: string; version: number; state: string }[]) {
      const events = (db.prepare('select * from events where case_id = ? order by version').all(c.id) as any[]).map(
        (r): CaseEvent => ({ type: r.type, occurredAt: r.occurred_at, recordedAt: r.recorded_at, actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role }, data: JSON.parse(r.data) }) as CaseEvent,
      );
      // Projection and log agree: versions are contiguous and the stored state is the fold of the events.
      expect(events.length).toBe(c.version);
      expect(fold(events)).toEqual(JSON.parse(c.state));
      const vitals = events.filter((e) => e.type === 'VitalsRecorded').length;
      expect(vitals).toBe([...acknowledged.values()].filter((a) => a.caseId === c.id).length);
    }
    db.close();
    expect(acknowledged.size).toBeGreaterThan(ROUNDS * TABLETS);
  }, 30_000 + ROUNDS * 10_000);
});
