import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { Api, bookCaseInThePast, newCaseBody, seedStaff, type ApiResponse } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

/** A coordinator's reading of a day driven over HTTP with back-dated steps (see tests/support/day.ts). */
describe('reports over HTTP', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;
  let radiologist: Api;
  let coordinator: Api;
  let admin: Api;
  let dischargedId: string;
  let cancelledId: string;
  let today: string;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    radiologist = await Api.login(server, 'radiologist');
    coordinator = await Api.login(server, 'coordinator');
    admin = await Api.login(server, 'admin');
    today = dayOf(new Date(), server.config.timezone);
    dischargedId = await bookCaseInThePast(
      server,
      staff.coordinator,
      180,
      newCaseBody({ patient: { firstName: '=HYPERLINK("http://x")', lastName: 'Dupont; "Jo"', mrn: 'MRN-R1', birthDate: '1960-01-02', sex: 'male' } }),
    );
    // The whole uncomplicated day, plus a small hematoma noted just before discharge.
    const at = minutesAgo(Date.now());
    const steps = wholeDay('room-1', at);
    const users = { nurse, radiologist };
    for (const [who, command] of steps) {
      if (command.type === 'discharge')
        await nurse.command(dischargedId, { type: 'record_complication', kind: 'hematoma', grade: 1, note: '+ petit hématome', occurredAt: at(2) });
      await users[who].command(dischargedId, command);
    }
    await nurse.request('POST', '/api/rooms/room-1/commands', { type: 'room_ready' });
    cancelledId = await bookCaseInThePast(server, staff.coordinator, 60, newCaseBody({ plannedRoomId: 'room-2' }));
    // An hour later, or an hour earlier when later is already tomorrow in the unit: the case stays on
    // today's list whatever the hour the suite runs at.
    const hour = 60 * 60_000;
    const moved = dayOf(new Date(Date.now() + hour), server.config.timezone) === today ? Date.now() + hour : Date.now() - hour;
    await coordinator.command(cancelledId, { type: 'reschedule_case', scheduledAt: new Date(moved).toISOString(), reason: 'equipment' });
    await coordinator.command(cancelledId, { type: 'cancel', reason: 'no_escort', note: 'Pas d’accompagnant' });
  });

  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('gives the durations the nurse entered, averaged, and the rooms, cycles and reasons of the day', async () => {
    const res = await coordinator.get(`/api/reports/day?date=${today}`);
    expect(res.status).toBe(200);
    const report = res.body;
    const line = report.cases.find((c: { caseId: string }) => c.caseId === dischargedId);
    // Back-dated in tests/support/day.ts: admit −120, room −100, freeze −88, probe out −80, observation −60, discharge −1.
    expect(line.durations).toEqual({ arrivalToRoom: 20, roomToFirstFreeze: 12, procedure: 20, observation: 59, totalStay: 119 });
    expect(line.initials).toBe('=.D.');
    expect(report.averages.observation).toMatchObject({ mean: 59, n: 1 });
    expect(report.counts).toMatchObject({ scheduled: 2, discharged: 1, cancelled: 1 });
    expect(report.cancellationsByReason).toEqual({ no_escort: 1 });
    expect(report.delaysByReason).toEqual({ equipment: 1 });
    expect(report.complicationsByGrade['1']).toBe(1);
    expect(report.targets).toEqual([{ nerve: 'genicular', level: null, side: 'right', cycles: 1, totalFreezeSeconds: 180, lowestTempC: -82, noIceBall: 0, running: 0, offPlan: false }]);
    const room1 = report.rooms.find((r: { roomId: string }) => r.roomId === 'room-1');
    expect(room1.occupiedMinutes).toBe(40);
    expect(room1.patients).toBe(1);
    // Left for observation 60 min ago, released just now.
    expect(room1.turnovers[0]).toBeGreaterThanOrEqual(59);
    expect(room1.turnovers[0]).toBeLessThan(62);
    expect(room1.utilisation).toBeGreaterThan(0);
    expect(room1.utilisation).toBeLessThanOrEqual(1);
  });

  it('lets the clinical team and the coordinator read, not the admin, not a stranger', async () => {
    for (const api of [nurse, radiologist, coordinator]) expect((await api.get('/api/reports/day')).status).toBe(200);
    const forbidden = await admin.get('/api/reports/day');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    for (const path of ['/api/reports/day', `/api/reports/cases.csv?from=${today}&to=${today}`, `/api/cases/${dischargedId}/fhir`, '/api/follow-up']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(401);
      expect((await admin.get(path)).status).toBe(403);
    }
  });

  it('refuses a malformed day or range with a translated problem naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/reports/day?date=2025-02-30', 'date'],
      ['/api/reports/day?date=yesterday', 'date'],
      ['/api/reports/cases.csv?from=2025-01-10&to=2025-01-01', 'to'],
      ['/api/reports/cases.csv?from=2024-01-01&to=2025-01-01', 'to'],
      ['/api/reports/freeze-cycles.csv?from=2025-01-01', 'to'],
      ['/api/reports/freeze-cycles.csv?from=2025-01-01&to=2025-01-02&lang=de', 'lang'],
      ['/api/follow-up?from=2020-01-01&to=2025-01-01', 'to'],
    ];
    for (const [path, field] of cases) {
      const res: ApiResponse = await coordinator.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const fr = new Api(server, coordinator.cookie, 'fr');
    expect((await fr.get('/api/reports/cases.csv?from=2025-01-10&to=2025-01-01')).body.detail).toMatch(/précède/);
    // 366 days (a leap year) is the longest accepted range.
    expect((await coordinator.get('/api/reports/cases.csv?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });

  it('exports the cases as a French-Excel CSV, quoted, with formulas defused', async () => {
    const res = await fetch(`${server.url}/api/reports/cases.csv?from=${today}&to=${today}`, { headers: { cookie: coordinator.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="cryoday-cases-${today}_${today}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM it was shown above.
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(';');
    expect(header.slice(0, 4)).toEqual(['day', 'scheduled_at', 'case_id', 'mrn']);
    const row = lines.find((l) => l.includes(dischargedId))!;
    // The name with a separator and quotes is quoted and its quotes doubled; the formula is defused.
    expect(row).toContain(';"Dupont; ""Jo""";');
    expect(row).toContain(`;"'=HYPERLINK(""http://x"")";`);
    expect(row).toContain(';hematoma:1 (+ petit hématome);');
    expect(row).toContain(';-82;');
    const cells = splitCsvLine(row);
    const at = (name: string) => cells[header.indexOf(name)];
    expect(at('observation_min')).toBe('59');
    expect(at('total_stay_min')).toBe('119');
    expect(at('stage')).toBe('discharged');
    const cancelled = splitCsvLine(lines.find((l) => l.includes(cancelledId))!);
    expect(cancelled[header.indexOf('cancel_reason')]).toBe('no_escort');
    expect(cancelled[header.indexOf('last_reschedule_reason')]).toBe('equipment');
  });

  it('exports each freeze cycle with its target, temperatures and times', async () => {
    const res = await coordinator.get(`/api/reports/freeze-cycles.csv?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="cryoday-freeze-cycles-');
    const lines = String(res.body).replace(/^\uFEFF/, '').split('\r\n');
    const header = lines[0]!.split(';');
    expect(lines.filter(Boolean)).toHaveLength(2);
    const cells = splitCsvLine(lines[1]!);
    const at = (name: string) => cells[header.indexOf(name)];
    expect(at('nerve')).toBe('genicular');
    expect(at('side')).toBe('right');
    expect(at('freeze_s')).toBe('180');
    expect(at('lowest_temp_c')).toBe('-82');
    expect(at('ice_ball_mm')).toBe('9');
    expect(at('operator')).toBe('Dr Roche');
  });

  it('writes labels in the export language in their own columns, codes unchanged', async () => {
    const read = async (path: string, lang: 'fr' | 'en') => {
      const res = await coordinator.get(`${path}?from=${today}&to=${today}&lang=${lang}`);
      expect(res.status).toBe(200);
      const lines = String(res.body).replace(/^\uFEFF/, '').split('\r\n');
      const header = splitCsvLine(lines[0]!);
      return { header, row: (id: string) => { const cells = splitCsvLine(lines.find((l) => l.includes(id))!); return (name: string) => cells[header.indexOf(name)]; } };
    };
    const frCases = await read('/api/reports/cases.csv', 'fr');
    const fr = frCases.row(dischargedId);
    expect(fr('stage')).toBe('discharged');
    expect(fr('étape')).toBe('Sorti');
    expect(fr('complications (libellé)')).toBe('Hématome, CIRSE 1\u00a0: résolue pendant la séance, sans suite');
    expect(fr('planned_targets')).toBe('Nerfs géniculés (genou) — Droite');
    expect(fr('planned_target_codes')).toBe('genicular::right');
    const frCancelled = frCases.row(cancelledId);
    expect(frCancelled('cancel_reason')).toBe('no_escort');
    expect(frCancelled('motif d’annulation')).toBe('Pas d\'accompagnant');

    const en = (await read('/api/reports/cases.csv', 'en')).row(dischargedId);
    expect(en('stage')).toBe('discharged');
    expect(en('stage label')).toBe('Discharged');
    expect(en('max CIRSE grade meaning')).toBe('CIRSE 1: resolved during the session, no sequelae');
    expect(en('étape')).toBeUndefined();

    const frCycle = (await read('/api/reports/freeze-cycles.csv', 'fr')).row(dischargedId);
    expect([frCycle('side'), frCycle('côté'), frCycle('guidance'), frCycle('guidage')]).toEqual(['right', 'Droite', 'ultrasound', 'Échographie']);
    const enCycles = await read('/api/reports/freeze-cycles.csv', 'en');
    expect(enCycles.row(dischargedId)('side label')).toBe('Right');
    expect(enCycles.row(dischargedId)('nerve_label')).toBe('Genicular nerves (knee)');
    // Without ?lang the export follows the reader's language.
    const byHeader = await new Api(server, coordinator.cookie, 'fr').get(`/api/reports/freeze-cycles.csv?from=${today}&to=${today}`);
    expect(String(byHeader.body).split('\r\n')[0]).toContain(';côté;');
  });

  it('lists the discharged patient for follow-up with the J+1 call upcoming, and records the call', async () => {
    const res = await nurse.get('/api/follow-up');
    expect(res.status).toBe(200);
    const patient = res.body.patients.find((p: { caseId: string }) => p.caseId === dischargedId);
    expect(patient.calls.map((c: { moment: string; status: string }) => [c.moment, c.status])).toEqual([
      ['followup_d1', 'upcoming'],
      ['followup_m1', 'upcoming'],
      ['followup_m3', 'upcoming'],
    ]);
    expect(res.body.patients.some((p: { caseId: string }) => p.caseId === cancelledId)).toBe(false);
    await nurse.command(dischargedId, { type: 'record_pain_score', score: 7, moment: 'admission' });
    await nurse.command(dischargedId, { type: 'record_pain_score', score: 2, moment: 'followup_d1' });
    const after = (await nurse.get('/api/follow-up')).body.patients.find((p: { caseId: string }) => p.caseId === dischargedId);
    expect(after.calls[0]).toMatchObject({ moment: 'followup_d1', status: 'done', score: 2 });
    expect(after.relief).toEqual({ from: 7, to: 2, moment: 'followup_d1', points: 5, percent: 71 });
  });
});

/** RFC 4180 reader for one line, enough to check what Excel would show in each cell. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
