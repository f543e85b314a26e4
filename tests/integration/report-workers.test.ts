import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesCsv, cyclesCsv } from '../../server/reports/csv';
import { doseReport } from '../../server/reports/doses';
import { ReportQueries } from '../../server/reports/queries';
import { rangeReport } from '../../server/reports/range-report';
import { WorkerPool } from '../../server/workers/pool';
import { Api, LiveClient, newCaseBody } from '../support/api';
import { historyFolder } from '../support/history';
import { removeDir, startServer, type TestServer } from '../support/server';
import { until } from '../support/until';

// Exports run in a worker thread and stream: the event loop stays free for commands, boards and
// health checks while one is produced, and a worker that dies answers a problem, never a hang.
const FROM = '2026-11-21';
const TO = '2026-11-27';
const CSV = `/api/reports/cases.csv?from=${FROM}&to=${TO}`;


describe('exports in the worker pool', () => {
  let server: TestServer;
  let boardToken: string;
  let coordinator: Api;
  let nurse: Api;
  let queries: ReportQueries;

  beforeAll(async () => {
    const folder = await historyFolder({ days: 7, seed: 15, lastDay: TO, perDay: 20 });
    boardToken = folder.boardToken;
    // One worker and no waiting line: a second export while one is read is refused at once.
    server = await startServer({ REPORT_WORKERS: '1', REPORT_QUEUE: '0' }, folder.dir);
    coordinator = await Api.login(server, 'coordinator');
    nurse = await Api.login(server, 'nurse');
    queries = new ReportQueries(server.app.database.sqlite);
  }, 30_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('refuses an export beyond the waiting line with a translated 503 and Retry-After, and serves the one before it', async () => {
    // The pool starts its worker on the first export: the second, sent with it, finds the line full.
    const fr = new Api(server, coordinator.cookie, 'fr');
    const [first, second] = await Promise.all([fr.get(CSV), fr.get(`/api/reports/freeze-cycles.csv?from=${FROM}&to=${TO}`)]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ code: 'server_busy', retryAfterSeconds: 5 });
    expect(second.body.detail).toMatch(/exports et de rapports en cours/);
  });

  it('answers every export with the bytes the in-process functions give', async () => {
    const cases = queries.casesInRange(FROM, TO);
    expect(cases.length).toBeGreaterThan(80);
    const get = async (path: string, lang: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie: coordinator.cookie, 'accept-language': lang } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    expect(await get(CSV, 'fr')).toEqual(Buffer.from(casesCsv(cases, server.config.timezone, 'fr')));
    expect(await get(`${CSV}&lang=en`, 'fr')).toEqual(Buffer.from(casesCsv(cases, server.config.timezone, 'en')));
    expect(await get(`/api/reports/freeze-cycles.csv?from=${FROM}&to=${TO}`, 'en')).toEqual(Buffer.from(cyclesCsv(cases, server.config.timezone, 'en')));
    const doses = await coordinator.get(`/api/reports/doses?from=${FROM}&to=${TO}`);
    expect(doses.status).toBe(200);
    expect(doses.body).toEqual(JSON.parse(JSON.stringify(doseReport(FROM, TO, cases))));
    const range = await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=week`);
    expect(range.status).toBe(200);
    const inProcess = rangeReport(server.app.database.sqlite, { from: FROM, to: TO, groupBy: 'week', timeZone: server.config.timezone, now: range.body.generatedAt });
    expect(range.body).toEqual(JSON.parse(JSON.stringify(inProcess)));
    expect(range.body.total.performed).toBeGreaterThan(50);
  });

  it('while an export is under way the board gets every event and /api/health answers', async () => {
    const board = LiveClient.board(server, boardToken);
    await board.opened;
    const exported = fetch(`${server.url}${CSV}`, { headers: { cookie: coordinator.cookie } }).then(async (res) => Buffer.from(await res.arrayBuffer()));
    await until(() => server.app.reportPool.load === 1, 'the export to reach the pool');

    const created = await coordinator.post('/api/cases', newCaseBody());
    expect(created.status).toBe(201);
    const caseId = created.body.case.id as string;
    const seqs: number[] = created.body.events.map((e: { seq: number }) => e.seq);
    for (const command of [{ type: 'admit' }, { type: 'record_pain_score', score: 6, moment: 'admission' }, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 75, spo2: 98 }]) {
      seqs.push(...(await nurse.command(caseId, command)).events.map((e) => e.seq as number));
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    }
    await board.waitFor((messages) => seqs.every((seq) => messages.some((m) => m.type === 'event' && m.seq === seq)));
    board.close();
    expect(await exported).toEqual(Buffer.from(casesCsv(queries.casesInRange(FROM, TO), server.config.timezone, 'fr')));
  });

  it('asks the worker for the next chunk only as the reader takes one, and a reader that gives up frees the worker', async () => {
    // A pool of its own on the server's file, with small chunks, so this short history makes many of them.
    const pool = new WorkerPool({ databasePath: server.config.databasePath, size: 1, maxQueued: 0, chunkChars: 2048 });
    const expected = Buffer.from(casesCsv(queries.casesInRange(FROM, TO), server.config.timezone, 'fr'));
    const args = { from: FROM, to: TO, timeZone: server.config.timezone, lang: 'fr' as const };
    const body = await pool.stream('casesCsv', args);
    await new Promise((r) => setTimeout(r, 200));
    // Nobody read: the stream's own buffer fills (its high-water mark, give or take a chunk), the worker holds the rest of the walk.
    expect(pool.load).toBe(1);
    expect(body.readableLength).toBeGreaterThan(0);
    expect(body.readableLength).toBeLessThan(body.readableHighWaterMark + 3 * 2048);
    expect(body.readableLength * 2).toBeLessThan(expected.length);
    const pieces: Buffer[] = [];
    for await (const piece of body) pieces.push(piece as Buffer);
    expect(Buffer.concat(pieces)).toEqual(expected);
    expect(pool.load).toBe(0);

    const dropped = await pool.stream('casesCsv', args);
    dropped.destroy();
    expect(pool.load).toBe(0);
    expect(JSON.parse(await pool.answer('doseReport', { from: FROM, to: TO }))).toEqual(JSON.parse(JSON.stringify(doseReport(FROM, TO, queries.casesInRange(FROM, TO)))));
    await pool.close();
  });

  it('a worker killed in the middle of a job answers 503 with Retry-After, and the next export works', async () => {
    server.app.reportPool.once('dispatch', (worker: { terminate(): Promise<number> }) => void worker.terminate());
    const killed = await new Api(server, coordinator.cookie, 'fr').get(CSV);
    expect(killed.status).toBe(503);
    expect(killed.headers.get('retry-after')).toBe('5');
    expect(killed.body).toMatchObject({ code: 'report_interrupted', title: 'Rapport interrompu' });
    expect(killed.body.detail).toMatch(/réessayez/);
    const answer = await fetch(`${server.url}${CSV}`, { headers: { cookie: coordinator.cookie } });
    expect(answer.status).toBe(200);
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(Buffer.from(casesCsv(queries.casesInRange(FROM, TO), server.config.timezone, 'fr')));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('stops a worker left idle, and the next export starts one again and answers the same bytes', async () => {
    // Given a pool whose workers stop after 150 ms without a job
    const pool = new WorkerPool({ databasePath: server.config.databasePath, size: 1, maxQueued: 0, idleMs: 150 });
    const args = { from: FROM, to: TO, timeZone: server.config.timezone, lang: 'fr' as const };
    const expected = Buffer.from(casesCsv(queries.casesInRange(FROM, TO), server.config.timezone, 'fr'));
    const read = async () => {
      const pieces: Buffer[] = [];
      for await (const piece of await pool.stream('casesCsv', args)) pieces.push(piece as Buffer);
      return Buffer.concat(pieces);
    };
    // When an export has been read, the worker is still there for the next one
    expect(await read()).toEqual(expected);
    expect(pool.workers).toBe(1);
    // Then, with nothing more to do, it is stopped
    await until(() => pool.workers === 0, 'the idle worker to stop');
    // And the next export starts a new one
    expect(await read()).toEqual(expected);
    expect(pool.workers).toBe(1);
    await pool.close();
  });
});
