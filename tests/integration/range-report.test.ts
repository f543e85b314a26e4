import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeReport } from '../../server/reports/range-report';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody, roomReadyAt, seedStaff } from '../support/api';
import { LIDOCAINE, SIGN_OUT_COMMAND, TIME_OUT } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';
import { onPostgres } from '../support/test-store';

// A small history driven through the real command API, with every step at a known wall-clock time in
// Europe/Paris, across March and April 2026 and the change to summer time (Sunday 29 March, +01:00 →
// +02:00). The expected figures are worked out by hand below each case; docs/reports.md defines them.
//
//   case  day (Paris)      room    outcome                  in room  delay  targets/cycles  stages (min)                        turnover
//   A     Fri 27 Mar 09:00 room-1  discharged, hematoma G1  09:05    +5     1 / 2           arr 45 frz 5 proc 20 obs 30 tot 100  20
//   B     Fri 27 Mar 10:30 room-1  discharged, sedated,     10:50    +20    2 / 2           arr 70 frz 6 proc 30 obs 60 tot 165  10
//                                  vasovagal G2
//   F     Thu 26 Mar 09:00         cancelled (not fasting)
//   C     Wed 1 Apr 00:30 CEST (= 31 Mar 22:30 UTC)  cancelled (no show): April here, March in UTC
//   D     Thu 2 Apr 09:00  room-1  transferred from the room, 08:55   −5     0 / 0           arr 25                              15
//                                  allergic reaction G3
//   E     Wed 15 Apr 14:00 room-2  discharged               14:00    0      1 / 3           arr 60 frz 4 proc 30 obs 20 tot 115  25
//
// Pain (admission, D+1, M1, M3): A genicular 6, 4, 3, 2 · B intercostal 8, 5, —, 4 · D pudendal 7 · E genicular 5, 2.
describe('the range report over HTTP', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;
  let radiologist: Api;
  let coordinator: Api;
  let admin: Api;
  const FROM = '2026-03-16';
  const TO = '2026-04-30';

  const genicular = { nerve: 'genicular', side: 'right' } as const;
  const t6 = { nerve: 'intercostal', level: 'T6', side: 'left' } as const;
  const t7 = { nerve: 'intercostal', level: 'T7', side: 'left' } as const;
  const pudendal = { nerve: 'pudendal', side: 'left' } as const;
  const probe = { guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } } as const;

  type Who = 'nurse' | 'radiologist' | 'coordinator';
  type Step = readonly [Who, string, Record<string, unknown>];

  /** Books the case the day before, as the coordinator did, then sends each step at its Paris time. */
  async function drive(scheduledAt: string, body: Record<string, unknown>, steps: readonly Step[]) {
    const booked = Date.parse(scheduledAt) - 24 * 60 * 60_000;
    const id = await bookCaseInThePast(server, staff.coordinator, (Date.now() - booked) / 60_000, newCaseBody({ scheduledAt: new Date(scheduledAt).toISOString(), ...body }));
    const users = { nurse, radiologist, coordinator };
    for (const [who, at, command] of steps) await users[who].command(id, { ...command, occurredAt: new Date(at).toISOString() });
    return id;
  }
  const admission = (day: string, off: string, [admit, checklist, pain, ready]: readonly [string, string, string, string], score: number): Step[] => [
    ['nurse', `${day}T${admit}${off}`, { type: 'admit' }],
    ['nurse', `${day}T${checklist}${off}`, { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
    ['nurse', `${day}T${pain}${off}`, { type: 'record_pain_score', moment: 'admission', score }],
    ['nurse', `${day}T${ready}${off}`, { type: 'mark_ready' }],
  ];
  const cycle = (at: (hm: string) => string, [start, end, thaw]: readonly [string, string, string]): Step[] => [
    ['radiologist', at(start), { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
    ['radiologist', at(end), { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
    ['radiologist', at(thaw), { type: 'end_thaw' }],
  ];
  const followUp = (at: string, moment: string, score: number): Step => ['nurse', at, { type: 'record_pain_score', moment, score }];

  beforeAll(async () => {
    server = await startServer({ ROOMS: 'Salle 1,Salle 2' });
    staff = await seedStaff(server);
    [nurse, radiologist, coordinator, admin] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator'), Api.login(server, 'admin')]);

    // F: cancelled before arriving.
    await drive('2026-03-26T09:00+01:00', { plannedRoomId: 'room-1', plannedTargets: [genicular] }, [
      ['coordinator', '2026-03-26T08:00+01:00', { type: 'cancel', reason: 'not_fasting' }],
    ]);

    // A: in room 09:05 (booked 09:00), two cycles from 09:10, probe out 09:25, observation 09:30–10:00.
    const a = (hm: string) => `2026-03-27T${hm}+01:00`;
    await drive(a('09:00'), { plannedRoomId: 'room-1', plannedTargets: [genicular] }, [
      ...admission('2026-03-27', '+01:00', ['08:20', '08:22', '08:23', '08:25'], 6),
      ['nurse', a('09:05'), { type: 'enter_room', roomId: 'room-1' }],
      ['nurse', a('09:06'), { type: 'confirm_time_out', ...TIME_OUT, targets: [genicular] }],
      ['radiologist', a('09:07'), LIDOCAINE],
      ['radiologist', a('09:08'), { type: 'position_probe', target: genicular, ...probe }],
      ...cycle(a, ['09:10', '09:13', '09:15']),
      ...cycle(a, ['09:16', '09:19', '09:21']),
      ['nurse', a('09:22'), { type: 'record_complication', kind: 'hematoma', grade: 1 }],
      ['radiologist', a('09:25'), { type: 'remove_probe' }],
      ['nurse', a('09:27'), { type: 'apply_dressing' }],
      ['nurse', a('09:28'), SIGN_OUT_COMMAND],
      ['nurse', a('09:30'), { type: 'start_observation' }],
      ['nurse', a('09:55'), { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 }],
      ['nurse', a('09:56'), { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }],
      ['nurse', a('10:00'), { type: 'discharge', escortConfirmed: true, instructionsGiven: true }],
      followUp('2026-03-28T10:00+01:00', 'followup_d1', 4),
      followUp('2026-04-27T10:00+02:00', 'followup_m1', 3),
      followUp('2026-06-27T10:00+02:00', 'followup_m3', 2),
    ]);
    await roomReadyAt(server, staff.nurse, 'room-1', new Date(a('09:50')).toISOString());

    // B: sedated, in room 10:50 (booked 10:30), T6 then T7, probe out 11:20, observation 11:25–12:25.
    const b = (hm: string) => `2026-03-27T${hm}+01:00`;
    await drive(b('10:30'), { plannedRoomId: 'room-1', plannedTargets: [t6, t7], plannedSedation: true }, [
      ...admission('2026-03-27', '+01:00', ['09:40', '09:42', '09:43', '09:45'], 8),
      ['nurse', b('10:50'), { type: 'enter_room', roomId: 'room-1' }],
      ['nurse', b('10:51'), { type: 'confirm_time_out', ...TIME_OUT, targets: [t6, t7] }],
      ['radiologist', b('10:52'), { type: 'give_sedation', drug: 'midazolam', dose: '1 mg' }],
      ['radiologist', b('10:53'), LIDOCAINE],
      ['radiologist', b('10:55'), { type: 'position_probe', target: t6, ...probe }],
      ...cycle(b, ['10:56', '10:59', '11:01']),
      ['radiologist', b('11:02'), { type: 'position_probe', target: t7, ...probe }],
      ...cycle(b, ['11:03', '11:06', '11:08']),
      ['radiologist', b('11:20'), { type: 'remove_probe' }],
      ['nurse', b('11:21'), { type: 'record_complication', kind: 'vasovagal', grade: 2 }],
      ['nurse', b('11:22'), { type: 'apply_dressing' }],
      ['nurse', b('11:23'), SIGN_OUT_COMMAND],
      ['nurse', b('11:25'), { type: 'start_observation' }],
      ['nurse', b('12:20'), { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 75, spo2: 97 }],
      ['nurse', b('12:21'), { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2 }],
      ['nurse', b('12:22'), { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }],
      ['nurse', b('12:25'), { type: 'discharge', escortConfirmed: true, instructionsGiven: true }],
      followUp('2026-03-28T11:00+01:00', 'followup_d1', 5),
      followUp('2026-06-27T11:00+02:00', 'followup_m3', 4),
    ]);
    await roomReadyAt(server, staff.nurse, 'room-1', new Date(b('11:35')).toISOString());

    // C: booked at half past midnight on 1 April, summer time: 31 March in UTC, April in Paris.
    await drive('2026-04-01T00:30+02:00', { plannedRoomId: 'room-2', plannedTargets: [pudendal] }, [
      ['coordinator', '2026-04-01T00:45+02:00', { type: 'cancel', reason: 'no_show' }],
    ]);

    // D: in room 08:55 (booked 09:00, early), an allergic reaction, transferred from the room at 09:10.
    const d = (hm: string) => `2026-04-02T${hm}+02:00`;
    await drive(d('09:00'), { plannedRoomId: 'room-1', plannedTargets: [pudendal] }, [
      ...admission('2026-04-02', '+02:00', ['08:30', '08:32', '08:33', '08:35'], 7),
      ['nurse', d('08:55'), { type: 'enter_room', roomId: 'room-1' }],
      ['nurse', d('08:58'), { type: 'record_complication', kind: 'allergic_reaction', grade: 3 }],
      ['radiologist', d('09:10'), { type: 'transfer', destination: 'Réanimation' }],
    ]);
    await roomReadyAt(server, staff.nurse, 'room-1', new Date(d('09:25')).toISOString());

    // E: in room 14:00 on time, three cycles on one target from 14:04, probe out 14:30, observation 14:35–14:55.
    const e = (hm: string) => `2026-04-15T${hm}+02:00`;
    await drive(e('14:00'), { plannedRoomId: 'room-2', plannedTargets: [genicular] }, [
      ...admission('2026-04-15', '+02:00', ['13:00', '13:02', '13:03', '13:05'], 5),
      ['nurse', e('14:00'), { type: 'enter_room', roomId: 'room-2' }],
      ['nurse', e('14:01'), { type: 'confirm_time_out', ...TIME_OUT, targets: [genicular] }],
      ['radiologist', e('14:02'), LIDOCAINE],
      ['radiologist', e('14:03'), { type: 'position_probe', target: genicular, ...probe }],
      ...cycle(e, ['14:04', '14:07', '14:09']),
      ...cycle(e, ['14:10', '14:13', '14:15']),
      ...cycle(e, ['14:16', '14:19', '14:21']),
      ['radiologist', e('14:30'), { type: 'remove_probe' }],
      ['nurse', e('14:32'), { type: 'apply_dressing' }],
      ['nurse', e('14:33'), SIGN_OUT_COMMAND],
      ['nurse', e('14:35'), { type: 'start_observation' }],
      ['nurse', e('14:50'), { type: 'record_vitals', heartRate: 68, systolic: 118, diastolic: 76, spo2: 99 }],
      ['nurse', e('14:51'), { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }],
      ['nurse', e('14:55'), { type: 'discharge', escortConfirmed: true, instructionsGiven: true }],
      followUp('2026-04-16T10:00+02:00', 'followup_d1', 2),
    ]);
    await roomReadyAt(server, staff.nurse, 'room-2', new Date(e('15:00')).toISOString());
  });

  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  const zero = { count: 0, per100: 0 };

  it('the whole range: every figure as worked out by hand from the steps above', async () => {
    const res = await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=month`);
    expect(res.status).toBe(200);
    const { total } = res.body;
    expect(res.body).toMatchObject({ from: FROM, to: TO, groupBy: 'month', timeZone: 'Europe/Paris', onTimeMinutes: 15 });
    expect(total).toMatchObject({
      scheduled: 6,
      performed: 4,
      aborted: 0,
      cancelled: 2,
      cancellationsByReason: { not_fasting: 1, no_show: 1 },
      transferred: 1,
      // Per act A, B, D, E: targets 1, 2, 0, 1; cycles 2, 2, 0, 3.
      targetsPerAct: { total: 4, mean: 1, median: 1 },
      cyclesPerAct: { total: 7, mean: 1.8, median: 2 },
    });
    // Median and 90th percentile with linear interpolation: for [25, 45, 60, 70], rank 0.9 × 3 = 2.7 → 60 + 0.7 × 10 = 67.
    expect(total.stages).toEqual({
      arrivalToRoom: { n: 4, median: 52.5, p90: 67 },
      roomToFirstFreeze: { n: 3, median: 5, p90: 5.8 },
      procedure: { n: 3, median: 30, p90: 30 },
      observation: { n: 3, median: 30, p90: 54 },
      totalStay: { n: 3, median: 115, p90: 155 },
    });
    // Turnovers 20, 10, 15, 25; start delays +5, +20, −5, 0 (on time: within 15 minutes).
    expect(total.turnover).toEqual({ n: 4, median: 17.5, p90: 23.5 });
    expect(total.punctuality).toEqual({ n: 4, median: 2.5, p90: 15.5, onTime: 3, onTimeRate: 0.75 });
    expect(total.complications).toEqual({
      total: 3,
      acts: 3,
      per100: 75,
      byGrade: { '1': { count: 1, per100: 25 }, '2': { count: 1, per100: 25 }, '3': { count: 1, per100: 25 }, '4': zero, '5': zero, '6': zero },
      byKind: { hematoma: { count: 1, per100: 25 }, vasovagal: { count: 1, per100: 25 }, allergic_reaction: { count: 1, per100: 25 } },
    });
    expect(total.sedation).toEqual({ sedated: 1, rate: 0.25 });
    const none = { n: 0, mean: null, median: null };
    expect(total.pain).toEqual([
      {
        indication: 'genicular',
        acts: 2,
        moments: {
          admission: { n: 2, mean: 5.5, median: 5.5 },
          followup_d1: { n: 2, mean: 3, median: 3 },
          followup_m1: { n: 1, mean: 3, median: 3 },
          followup_m3: { n: 1, mean: 2, median: 2 },
        },
      },
      {
        indication: 'intercostal',
        acts: 1,
        moments: { admission: { n: 1, mean: 8, median: 8 }, followup_d1: { n: 1, mean: 5, median: 5 }, followup_m1: none, followup_m3: { n: 1, mean: 4, median: 4 } },
      },
      { indication: 'pudendal', acts: 1, moments: { admission: { n: 1, mean: 7, median: 7 }, followup_d1: none, followup_m1: none, followup_m3: none } },
    ]);
  });

  it('by month in Paris time: the half-past-midnight cancellation of 1 April is April’s, though it is 31 March in UTC', async () => {
    const { buckets } = (await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=month`)).body;
    expect(buckets.map((b: { key: string; from: string; to: string }) => [b.key, b.from, b.to])).toEqual([
      ['2026-03', FROM, '2026-03-31'],
      ['2026-04', '2026-04-01', TO],
    ]);
    const [march, april] = buckets.map((b: { figures: unknown }) => b.figures);
    expect(march).toMatchObject({
      scheduled: 3,
      performed: 2,
      cancelled: 1,
      cancellationsByReason: { not_fasting: 1 },
      transferred: 0,
      targetsPerAct: { total: 3, mean: 1.5, median: 1.5 },
      cyclesPerAct: { total: 4, mean: 2, median: 2 },
      turnover: { n: 2, median: 15, p90: 19 },
      punctuality: { n: 2, median: 12.5, p90: 18.5, onTime: 1, onTimeRate: 0.5 },
      complications: { total: 2, acts: 2, per100: 100 },
      sedation: { sedated: 1, rate: 0.5 },
    });
    expect(april).toMatchObject({
      scheduled: 3,
      performed: 2,
      cancelled: 1,
      cancellationsByReason: { no_show: 1 },
      transferred: 1,
      cyclesPerAct: { total: 3, mean: 1.5, median: 1.5 },
      complications: { total: 1, acts: 1, per100: 50, byGrade: { '3': { count: 1, per100: 50 } } },
      sedation: { sedated: 0, rate: 0 },
    });
  });

  it('by ISO week: every week touching the range, empty ones included, the last cut at the range’s end', async () => {
    const res = await radiologist.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=week`);
    expect(res.status).toBe(200);
    const rows = res.body.buckets.map((b: { key: string; to: string; figures: { scheduled: number; performed: number } }) => [b.key, b.to, b.figures.scheduled, b.figures.performed]);
    expect(rows).toEqual([
      ['2026-W12', '2026-03-22', 0, 0],
      ['2026-W13', '2026-03-29', 3, 2],
      ['2026-W14', '2026-04-05', 2, 1],
      ['2026-W15', '2026-04-12', 0, 0],
      ['2026-W16', '2026-04-19', 1, 1],
      ['2026-W17', '2026-04-26', 0, 0],
      ['2026-W18', TO, 0, 0],
    ]);
    const byDay = await coordinator.get('/api/reports/range?from=2026-03-27&to=2026-03-27&groupBy=day');
    expect(byDay.body.buckets).toHaveLength(1);
    expect(byDay.body.buckets[0].figures).toEqual(byDay.body.total);
    expect(byDay.body.total).toMatchObject({ scheduled: 2, performed: 2, sedation: { sedated: 1, rate: 0.5 } });
  });

  it('range.csv: the same figures, one row per period and figure, the whole range last, headers in the asked language', async () => {
    const fr = await coordinator.get(`/api/reports/range.csv?from=${FROM}&to=${TO}&groupBy=month&lang=fr`);
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toContain('text/csv');
    expect(fr.headers.get('content-disposition')).toContain(`cryoday-range-${FROM}_${TO}.csv`);
    const lines = (fr.body as string).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('period;period_from;period_to;figure;key;value;indicateur;détail');
    expect(lines).toContain(`total;${FROM};${TO};complications_per_100;;75;Complications pour 100 actes;`);
    expect(lines).toContain(`total;${FROM};${TO};cycles_per_act_mean;;"1,8";Cycles par acte (moyenne);`);
    expect(lines).toContain(`2026-04;2026-04-01;${TO};cancelled_by_reason;no_show;1;"Annulés, par motif";Patient absent`);
    expect(lines.some((l) => l.startsWith(`total;${FROM};${TO};pain_mean;genicular:followup_d1;3;`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`total;${FROM};${TO};stage_p90_min;observation;54;`))).toBe(true);
    const en = await coordinator.get(`/api/reports/range.csv?from=${FROM}&to=${TO}&groupBy=month&lang=en`);
    expect((en.body as string).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('period;period_from;period_to;figure;key;value;figure label;detail label');
    expect(en.body).toContain(`total;${FROM};${TO};sedation_rate;;"0,25";Sedation rate (0–1);`);
  });

  it('only coordinators and radiologists read it: a nurse and an admin are refused, no session is unauthenticated', async () => {
    for (const path of [`/api/reports/range?from=${FROM}&to=${TO}`, `/api/reports/range.csv?from=${FROM}&to=${TO}`]) {
      expect((await coordinator.get(path)).status).toBe(200);
      expect((await radiologist.get(path)).status).toBe(200);
      for (const refused of [nurse, admin]) {
        const res = await refused.get(path);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.code).toBe('forbidden');
      }
      const anonymous = await fetch(`${server.url}${path}`);
      expect(anonymous.status).toBe(401);
    }
  });

  it('bad input is a translated problem+json 400 naming the field, for the report and its CSV alike', async () => {
    const fr = new Api(server, coordinator.cookie, 'fr');
    const cases: [string, string, RegExp][] = [
      [`from=${FROM}&to=${TO}&groupBy=year`, 'groupBy', /« groupBy » doit valoir day, week ou month/],
      [`from=2026-02-30&to=${TO}`, 'from', /date réelle/],
      [`from=${TO}&to=${FROM}`, 'to', /précède/],
      [`from=2025-01-01&to=${TO}`, 'to', /dépasse 366 jours/],
    ];
    for (const route of ['/api/reports/range', '/api/reports/range.csv'])
      for (const [query, field, detail] of cases) {
        const res = await fr.get(`${route}?${query}`);
        expect(res.status, `${route}?${query}`).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field })] });
        expect(res.body.detail).toMatch(detail);
      }
    const en = await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=week&colour=blue`);
    expect(en.status).toBe(400);
    expect((await coordinator.get(`/api/reports/range?to=${TO}`)).status).toBe(400);
  });

  // The report worker threads' own SQLite connection: on PostgreSQL the reports are read in pages
  // instead, and tests/postgres/reports.test.ts checks they give the same figures.
  it.skipIf(onPostgres)('rangeReport() needs only a read-only connection of its own and gives plain data a worker can post back', async () => {
    const http = (await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}&groupBy=week`)).body;
    const db = new Database(server.config.databasePath, { readonly: true, fileMustExist: true });
    try {
      const report = rangeReport(db, { from: FROM, to: TO, groupBy: 'week', timeZone: 'Europe/Paris', now: http.generatedAt });
      expect(structuredClone(report)).toEqual(report);
      expect(report).toEqual(http);
    } finally {
      db.close();
    }
  });

  it('without groupBy, months', async () => {
    const res = await coordinator.get(`/api/reports/range?from=${FROM}&to=${TO}`);
    expect(res.body.groupBy).toBe('month');
    expect(res.body.buckets).toHaveLength(2);
  });
});
