import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_CHECKLIST, bookCaseInThePast } from '../support/api';
import { LIDOCAINE, SIGN_OUT_COMMAND, timeOutOf } from '../support/day';
import { LiveClient } from '../support/api';
import { http, login, newDisplayToken } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

/** Every spelling of a personal value a frame could carry: as is, JSON-escaped, \u-escaped, and dates in French order. */
function spellings(value: string): string[] {
  const out = new Set([value, JSON.stringify(value).slice(1, -1), value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)]);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) {
    out.add(`${date[3]}/${date[2]}/${date[1]}`);
    out.add(`${date[1]}${date[2]}${date[3]}`);
  }
  return [...out].map((s) => s.toLowerCase());
}

/** The personal strings found in `frames`, compared case-insensitively. */
function leaks(frames: string[], personal: string[]): string[] {
  const text = frames.join('\n').toLowerCase();
  return personal.filter((p) => spellings(p).some((s) => text.includes(s)));
}

describe('the wall-screen feed over a whole demo day carries nothing that names a patient', () => {
  let server: TestServer;
  let nurse: string;
  let radiologist: string;
  let coordinator: string;
  let staffView: LiveClient;
  const boards: LiveClient[] = [];

  beforeAll(async () => {
    server = await startServer({ CRYODAY_DEMO: '1', LOGIN_RATE_LIMIT: '1000' });
    [nurse, radiologist, coordinator] = await Promise.all([login(server, 'nurse'), login(server, 'radiologist'), login(server, 'coordinator')]);
    const admin = await login(server, 'admin');
    const { token } = await newDisplayToken(server, admin, 'Salle de réveil');
    // Every way a board receives data: plain frames, batched frames, and a replay of the whole log.
    boards.push(LiveClient.board(server, token), LiveClient.board(server, token, '&batch=1'), LiveClient.board(server, token, '&since=0'));
    staffView = new LiveClient(`${server.wsUrl}/api/live`, { cookie: coordinator });
    await Promise.all([...boards, staffView].map((b) => b.opened));
  });
  afterAll(async () => {
    for (const socket of [...boards, staffView]) socket?.close();
    await server?.close();
    removeDir(server.dir);
  });

  // Every step a minute after the one before, from 35 minutes ago: a freeze then lasts long enough
  // to count, and observation is long over by discharge.
  let clock = Date.now() - 35 * 60_000;
  const send = async (cookie: string, caseId: string, command: Record<string, unknown>) => {
    const current = await http(server, 'GET', `/api/cases/${caseId}`, { cookie });
    clock += 60_000;
    const body = { occurredAt: new Date(clock).toISOString(), ...command, expectedVersion: current.body.case.version };
    const res = await http(server, 'POST', `/api/cases/${caseId}/commands`, { cookie, body });
    expect(res.status, `${String(command.type)}: ${res.text}`).toBe(200);
  };

  it('drives a full procedure, free text naming the patient included, while boards watch', async () => {
    // Booked 40 minutes ago through the same code as POST /api/cases, so the day can be back-dated.
    const me = (await http(server, 'GET', '/api/auth/me', { cookie: coordinator })).body as { id: string; name: string };
    const id = await bookCaseInThePast(server, { id: me.id, displayName: me.name }, 40, {
      patient: { firstName: 'Apolline', lastName: 'Vasseur-Kergoat', mrn: 'IPP-99887766', birthDate: '1944-06-06', sex: 'female' },
      scheduledAt: new Date().toISOString(),
      plannedRoomId: 'room-2',
      plannedTargets: [{ nerve: 'genicular', side: 'left' }],
      indicationNote: 'Mme Vasseur-Kergoat, gonalgie gauche',
    } as never);
    // Room 2 is being cleaned after the demo's second patient: release it.
    const room = await http(server, 'POST', '/api/rooms/room-2/commands', { cookie: nurse, body: { type: 'room_ready' } });
    expect(room.status, room.text).toBe(200);

    await send(nurse, id, { type: 'admit' });
    await send(nurse, id, { type: 'record_checklist', ...COMPLETE_CHECKLIST, escort: { name: 'Théodore Vasseur-Kergoat', phone: '06 98 76 54 32' } });
    await send(nurse, id, { type: 'record_vitals', heartRate: 80, systolic: 130, diastolic: 80, spo2: 97 });
    await send(nurse, id, { type: 'mark_ready' });
    await send(nurse, id, { type: 'enter_room', roomId: 'room-2' });
    await send(nurse, id, timeOutOf([{ nerve: 'genicular', side: 'left' }]));
    await send(radiologist, id, LIDOCAINE);
    await send(radiologist, id, { type: 'position_probe', target: { nerve: 'genicular', side: 'left' }, guidance: 'ultrasound', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 } });
    await send(radiologist, id, { type: 'record_stimulation', result: 'sensory' });
    await send(radiologist, id, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 });
    await send(radiologist, id, { type: 'end_freeze', lowestTempC: -82, thawMode: 'passive' });
    await send(radiologist, id, { type: 'end_thaw' });
    await send(radiologist, id, { type: 'record_complication', kind: 'hematoma', grade: 1, note: 'Apolline Vasseur-Kergoat IPP-99887766 née le 06/06/1944' });
    await send(radiologist, id, { type: 'remove_probe' });
    await send(nurse, id, { type: 'apply_dressing' });
    await send(nurse, id, SIGN_OUT_COMMAND);
    await send(nurse, id, { type: 'start_observation' });
    await send(nurse, id, { type: 'record_vitals', heartRate: 72, systolic: 124, diastolic: 76, spo2: 98 });
    await send(nurse, id, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 });

    // A demo patient whose observation began long ago goes home with their escort.
    const inObservation = (await http(server, 'GET', '/api/cases', { cookie: coordinator })).body.cases.find(
      (c: { stage: string; id: string }) => c.stage === 'observation' && c.id !== id,
    );
    await send(nurse, inObservation.id, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 75, spo2: 98 });
    await send(nurse, inObservation.id, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 });
    await send(nurse, inObservation.id, { type: 'discharge', escortConfirmed: true, instructionsGiven: true });

    // A demo case still scheduled gets cancelled with a note that names the patient.
    const day = await http(server, 'GET', '/api/cases', { cookie: coordinator });
    const scheduled = day.body.cases.find((c: { stage: string }) => c.stage === 'scheduled');
    await send(coordinator, scheduled.id, { type: 'cancel', reason: 'other', note: `${scheduled.patient.firstName} ${scheduled.patient.lastName} a appelé` });
    await send(nurse, id, { type: 'correct_last', reason: `Erreur de saisie pour ${scheduled.patient.lastName}` });

    const last = (await http(server, 'GET', '/api/health')).body.seq as number;
    await Promise.all(boards.map((b) => b.waitFor((m) => m.some((x) => (x.seq ?? 0) >= last))));
    await staffView.waitFor((m) => m.some((x) => (x.seq ?? 0) >= last));
  });

  it('never sends a first name, last name, MRN, birth date or escort name to a board, in any frame', async () => {
    const rows = await sql<{ firstName: string; lastName: string; mrn: string; birthDate: string }>(
      server,
      'select first_name "firstName", last_name "lastName", mrn, birth_date "birthDate" from patients',
    );
    const day = await http(server, 'GET', '/api/cases', { cookie: coordinator });
    const escorts = day.body.cases.map((c: { checklist?: { escort?: { name: string } | null } }) => c.checklist?.escort?.name).filter(Boolean) as string[];
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(escorts.length).toBeGreaterThanOrEqual(5);
    const personal = [
      ...rows.flatMap((p) => [p.firstName, p.lastName, p.mrn, p.birthDate]),
      ...escorts,
      ...escorts.flatMap((e) => e.split(/\s+/).filter((part) => part.length >= 4)),
    ];

    // The check can see a leak: the staff feed, which is allowed to name patients, trips it.
    expect(leaks(staffView.frames, personal).length).toBeGreaterThan(0);

    for (const board of boards) {
      expect(board.frames.length).toBeGreaterThan(1);
      expect(leaks(board.frames, personal)).toEqual([]);
      // And what it does show is the pseudonymous label.
      const labels = board.messages.flatMap((m) => [...(m.cases ?? []), ...(m.case ? [m.case] : [])]).map((c: { label: string }) => c.label);
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) expect(label).toMatch(/^\p{Lu}\.\p{Lu}\.$/u);
    }
  });

  it('shows a recorded complication on the board by its grade only, never its kind, note or any other free text', async () => {
    const freeText = ['hematoma', 'Hématome', 'née le', 'gonalgie', 'a appelé', 'Erreur de saisie', 'Lidocaïne', 'Cryosonde'];
    // The staff feed carries them, so the check can see them.
    expect(leaks(staffView.frames, freeText).length).toBeGreaterThan(0);
    for (const board of boards) {
      expect(leaks(board.frames, freeText)).toEqual([]);
      const grades = board.messages
        .flatMap((m) => [...(m.cases ?? []), ...(m.case ? [m.case] : [])])
        .map((c: { complicationGrades: number[] }) => c.complicationGrades);
      expect(grades.some((g) => g.length === 1 && g[0] === 1)).toBe(true);
    }
  });

  it('keeps the board private on resume too', async () => {
    const board = boards[0]!;
    const before = board.frames.length;
    board.socket.send(JSON.stringify({ type: 'resume', since: 0 }));
    await board.waitFor((m) => m.some((x) => x.type === 'resumed' || (x.type === 'snapshot' && board.frames.length > before)));
    const rows = await sql<{ firstName: string; lastName: string; mrn: string; birthDate: string }>(
      server,
      'select first_name "firstName", last_name "lastName", mrn, birth_date "birthDate" from patients',
    );
    expect(leaks(board.frames.slice(before), rows.flatMap((p) => [p.firstName, p.lastName, p.mrn, p.birthDate]))).toEqual([]);
  });
});
