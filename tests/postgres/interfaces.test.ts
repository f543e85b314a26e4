import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, LiveClient } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { freePort } from '../support/e2e';
import { appointment, postFhir } from '../support/fhir';
import { MllpClient, adt, siu, wallClock, type SiuFields } from '../support/hl7';
import { describePostgres, newDatabase } from '../support/pg';
import { asServer } from '../support/process';
import { preparePostgres, sqliteOpened, startInstance, through } from './app-fixtures';

type Instance = Awaited<ReturnType<typeof startInstance>> & { mllpPort: number };

// The hospital's interfaces with two app instances on one database: a booking through either is the
// unit's, a message the engine sends to both is applied once, and the inbox is the same from each.
describePostgres('the interfaces on two app instances', () => {
  let url: string;
  let bundle: Bundle;
  let boardToken: string;
  let a: Instance;
  let b: Instance;
  let db: pg.Client;
  let serial = 0;

  const start = async (): Promise<Instance> => {
    const mllpPort = await freePort();
    const instance = await startInstance(bundle, url, { HL7_MLLP_PORT: String(mllpPort), ROOMS: 'Salle 1,Salle 2' });
    return { ...instance, mllpPort };
  };
  const kill = async (instance: Instance) => {
    instance.child.kill('SIGKILL');
    await instance.exited;
  };
  // Today in the unit's clock, a minute from now: on the day list and on the board.
  const soon = () => wallClock(new Date(Date.now() + 60_000));
  const booking = (over: Partial<SiuFields> = {}): SiuFields => {
    serial += 1;
    const n = String(serial).padStart(4, '0');
    return { trigger: 'S12', controlId: `PG-${n}`, placer: `DEM-PG${n}`, filler: `RDV-PG${n}`, mrn: `0088${n}`, start: soon().ts, ...over };
  };
  const casesOf = async (on: Instance, mrn: string) => {
    const coordinator = await Api.login(asServer(on), 'coordinator');
    const body = (await coordinator.get(`/api/cases?date=${soon().day}`)).body as { cases: { id: string; patient: { mrn: string }; plannedRoomId: string | null }[] };
    return body.cases.filter((c) => c.patient.mrn === mrn);
  };
  const messagesOf = async (messageId: string) =>
    (await db.query<{ id: number; status: string; case_id: string | null }>('select id, status, case_id from interface_messages where message_id = $1', [messageId])).rows;
  const eventsOf = async (caseId: string) => (await db.query<{ type: string }>('select type from events where case_id = $1 order by version', [caseId])).rows.map((r) => r.type);

  beforeAll(async () => {
    url = await newDatabase('interfaces');
    [{ boardToken }, bundle] = await Promise.all([preparePostgres(url), bundleEntries(['server/main.ts'])]);
    [a, b] = await Promise.all([start(), start()]);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await db?.end();
    bundle?.remove();
  });

  it('given a FHIR Appointment posted to A, then it is on B’s day list and on a board connected to B', async () => {
    const board = LiveClient.board(asServer(b), boardToken);
    await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const start = new Date(Date.now() + 60_000).toISOString();
    const sent = appointment({ start, end: new Date(Date.parse(start) + 45 * 60_000).toISOString() });
    const posted = await postFhir(coordinator, '/api/fhir/Appointment', sent);
    expect(posted.status).toBe(201);
    const caseId = posted.body.id as string;

    const onB = (await through(coordinator, b).get(`/api/cases?date=${soon().day}`)).body.cases.find((c: { id: string }) => c.id === caseId);
    expect(onB).toMatchObject({ appointment: { filler: sent.identifier[0].value }, plannedRoomId: 'room-2', patient: { lastName: 'François' } });
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.case?.id === caseId));
    expect(JSON.stringify(board.frames)).not.toContain('François');
    board.close();
    // The inbox is the same through B: the message, applied, with its case.
    const [message] = (await through(coordinator, b).get('/api/interfaces/messages?limit=1')).body.messages;
    expect(message).toMatchObject({ channel: 'fhir', status: 'applied', caseId, sender: 'coordinator' });
    expect(sqliteOpened(a) || sqliteOpened(b)).toBe(false);
  });

  it('given the same HL7 message sent to A and to B at once, then both acknowledge AA and it is stored and applied once', async () => {
    const f = booking();
    const [toA, toB] = await Promise.all([MllpClient.connect(a.mllpPort), MllpClient.connect(b.mllpPort)]);
    const acks = await Promise.all([toA.send(siu(f)), toB.send(siu(f))]);
    expect(acks.map((ack) => [ack.code, ack.acknowledges])).toEqual([
      ['AA', f.controlId],
      ['AA', f.controlId],
    ]);
    toA.close();
    toB.close();
    const [onA, onB] = await Promise.all([casesOf(a, f.mrn), casesOf(b, f.mrn)]);
    expect(onA).toHaveLength(1);
    expect(onB.map((c) => c.id)).toEqual([onA[0]!.id]);
    expect(await messagesOf(f.controlId)).toMatchObject([{ status: 'applied', case_id: onA[0]!.id }]);
    expect(await eventsOf(onA[0]!.id)).toEqual(['CaseScheduled']);
  });

  it('given a booking made through A, when B receives its move and the patient’s new name, then the same case follows', async () => {
    const f = booking({ family: 'MOREAU', given: 'Anaïs', birth: '19700615' });
    const toA = await MllpClient.connect(a.mllpPort);
    expect((await toA.send(siu(f))).code).toBe('AA');
    toA.close();
    const [booked] = await casesOf(a, f.mrn);
    const toB = await MllpClient.connect(b.mllpPort);
    // A new message id, the same appointment number: found through the appointment index.
    const later = wallClock(new Date(Date.now() + 120_000));
    expect((await toB.send(siu({ ...f, trigger: 'S13', controlId: `${f.controlId}-S13`, start: later.ts, room: 'Salle 1' }))).code).toBe('AA');
    const renamed = await toB.send(adt({ trigger: 'A08', controlId: `${f.controlId}-A08`, mrn: f.mrn, family: 'MOREAU-PETIT', given: 'Anaïs', birth: '19700615' }));
    expect(renamed.code).toBe('AA');
    toB.close();
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const { case: moved, timeline } = (await coordinator.get(`/api/cases/${booked!.id}`)).body;
    expect(moved).toMatchObject({ plannedRoomId: 'room-1', patient: { lastName: 'MOREAU-PETIT', mrn: f.mrn } });
    expect(Date.parse(moved.scheduledAt)).toBe(Date.parse(later.iso));
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(['CaseScheduled', 'CaseRescheduled', 'PatientDemographicsUpdated']);
    expect((await db.query('select last_name from patients where mrn = $1', [f.mrn])).rows).toEqual([{ last_name: 'MOREAU-PETIT' }]);
    expect(await casesOf(b, f.mrn)).toHaveLength(1);
  });

  it('given a message refused on A for an unknown room, when the room is renamed, then B’s inbox applies it again, once', async () => {
    const f = booking({ room: 'Salle Cryo' });
    const client = await MllpClient.connect(a.mllpPort);
    const refused = await client.send(siu(f));
    client.close();
    expect(refused.code).toBe('AE');
    expect(refused.err?.[5]).toMatch(/^room_name_unknown\^/);
    expect(await casesOf(b, f.mrn)).toEqual([]);

    const admin = await Api.login(asServer(b), 'admin');
    const listed = (await admin.get('/api/interfaces/messages?status=refused')).body.messages.find((m: { messageId: string }) => m.messageId === f.controlId);
    expect(listed).toMatchObject({ channel: 'mllp', status: 'refused', rule: 'room_name_unknown' });
    // Still refused while the room has its old name.
    expect((await admin.post(`/api/interfaces/messages/${listed.id}/apply`)).body).toMatchObject({ status: 'refused', rule: 'room_name_unknown' });
    // What a restart with ROOMS=Salle 1,Salle Cryo writes; the bookings read the rooms from the database.
    await db.query("update rooms set name = 'Salle Cryo' where id = 'room-2'");
    const applied = await admin.post(`/api/interfaces/messages/${listed.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ id: listed.id, status: 'applied', rule: null, reason: null });
    const [booked] = await casesOf(a, f.mrn);
    expect(booked).toMatchObject({ id: applied.body.caseId, plannedRoomId: 'room-2' });
    // Applied: never again, through either instance.
    expect((await through(admin, a).post(`/api/interfaces/messages/${listed.id}/apply`)).status).toBe(409);
    expect(await eventsOf(booked!.id)).toEqual(['CaseScheduled']);
    await db.query("update rooms set name = 'Salle 2' where id = 'room-2'");
  });

  it('given a FHIR post and an HL7 message carrying a NUL character, then each is stored and answered, never a 500', async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const broken = await coordinator.request('POST', '/api/fhir/Appointment', '{"resourceType": "Appoint\u0000ment"', { 'content-type': 'application/fhir+json' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ resourceType: 'OperationOutcome' });
    const f = booking({ notes: ['Genou\u0000 droit'] });
    const client = await MllpClient.connect(b.mllpPort);
    expect((await client.send(siu(f))).code).toBe('AA');
    client.close();
    expect(await casesOf(a, f.mrn)).toHaveLength(1);
    expect(await messagesOf(f.controlId)).toMatchObject([{ status: 'applied' }]);
  });

  it('given an instance SIGKILLed after its AA, and a message a crash left stored, then the next starts apply it, once', async () => {
    const acknowledged = booking();
    const client = await MllpClient.connect(a.mllpPort);
    expect((await client.send(siu(acknowledged))).code).toBe('AA');
    await kill(a);
    expect(await casesOf(b, acknowledged.mrn)).toHaveLength(1);

    // The state a kill leaves between the inbox's commit and the booking's: the row is stored, `received`.
    const left = booking();
    await db.query(
      `insert into interface_messages (channel, sender, message_id, received_at, raw, charset, message_type, status)
       values ('mllp', 'RIS_IMAGERIE^CHU_NORD', $1, $2, $3, 'iso-8859-1', 'SIU^S12', 'received')`,
      [left.controlId, new Date().toISOString(), siu(left)],
    );
    await kill(b);
    // Two instances starting together both find it pending.
    [a, b] = await Promise.all([start(), start()]);
    const cases = await casesOf(b, left.mrn);
    expect(cases).toHaveLength(1);
    expect(await messagesOf(left.controlId)).toMatchObject([{ status: 'applied', case_id: cases[0]!.id }]);
    expect(await eventsOf(cases[0]!.id)).toEqual(['CaseScheduled']);
    expect(await messagesOf(acknowledged.controlId)).toMatchObject([{ status: 'applied' }]);
  }, 60_000);
});
