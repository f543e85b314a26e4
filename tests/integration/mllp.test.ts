import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, LiveClient, seedStaff } from '../support/api';
import { login, newDisplayToken } from '../support/auth';
import { MllpClient, adt, frame, readAck, siu, wallClock, type SiuFields } from '../support/hl7';
import { removeDir, startServer, type TestServer } from '../support/server';

let server: TestServer;
let nurse: Api;
let coordinator: Api;
let port: number;
let client: MllpClient;
let boardToken: string;
let n = 0;
// Every booking of this file falls in the next hours, on the unit's day of its start.
const soon = (hours: number) => wallClock(new Date(Date.now() + hours * 3_600_000));

function fields(over: Partial<SiuFields> = {}): SiuFields {
  n += 1;
  return { trigger: 'S12', controlId: `MSG${String(n).padStart(5, '0')}`, placer: `DEM-${7000 + n}`, filler: `RDV-${9000 + n}`, mrn: `0045${1000 + n}`, start: soon(2).ts, ...over };
}

async function caseOf(mrn: string, day = soon(2).day) {
  const { body } = await coordinator.get(`/api/cases?date=${day}`);
  return (body.cases as any[]).filter((c) => c.patient.mrn === mrn);
}

beforeAll(async () => {
  server = await startServer({ HL7_MLLP_PORT: '0', HL7_MRN_AUTHORITY: 'CHU_NORD', ROOMS: 'Salle 1,Salle 2,Salle 3' });
  await seedStaff(server);
  [nurse, coordinator] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'coordinator')]);
  boardToken = (await newDisplayToken(server, await login(server, 'admin', 'correct horse battery'))).token;
  port = server.app.mllp!.address()!.port;
  client = await MllpClient.connect(port);
});
afterAll(async () => {
  client?.close();
  await server.close();
  removeDir(server.dir);
});

describe('HL7 v2 over MLLP', () => {
  it('books an S12 in UTF-8: AA for its MSH-10, the case over the API, live to staff, nameless on the board', async () => {
    const staff = LiveClient.staff(server, nurse);
    const board = LiveClient.board(server, boardToken);
    await Promise.all([staff.opened, board.opened]);
    const f = fields({ family: 'LEFÈVRE', given: 'Éloïse', charset: 'UNICODE UTF-8', room: 'Salle 2', service: 'CRYO^Cryoneurolyse intercostale T6 gauche' });
    const ack = await client.send(siu(f), 'utf8');
    expect(ack).toMatchObject({ code: 'AA', acknowledges: f.controlId, err: null });
    expect(ack.msh.slice(2, 6)).toEqual(['CRYODAY', 'RADIO_INTERV', 'RIS_IMAGERIE', 'CHU_NORD']);
    const [booked] = await caseOf(f.mrn);
    expect(booked).toMatchObject({
      patient: { lastName: 'LEFÈVRE', firstName: 'Éloïse', birthDate: '1958-03-14', sex: 'female' },
      plannedRoomId: 'room-2',
      plannedTargets: [{ nerve: 'intercostal', level: 'T6', side: 'left' }],
      appointment: { placer: f.placer, filler: f.filler },
    });
    await staff.waitFor((m) => m.some((x) => x.type === 'event' && x.caseId === booked.id && x.event.actor.name === 'Interface HL7'));
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.caseId === booked.id));
    expect(board.frames.join('')).not.toMatch(/LEF[ÈE]VRE|Éloïse/);
    staff.close();
    board.close();
  });

  it('reads ISO 8859-1, named in MSH-18 or by default when MSH-18 is empty, and answers in it', async () => {
    const named = fields({ family: 'FRANÇOIS', given: 'Gaëlle', charset: '8859/1' });
    expect((await client.send(siu(named), 'latin1')).code).toBe('AA');
    const unnamed = fields({ family: 'BÉRANGER', given: 'Noël' });
    expect((await client.send(siu(unnamed), 'latin1')).code).toBe('AA');
    expect((await caseOf(named.mrn))[0].patient).toMatchObject({ lastName: 'FRANÇOIS', firstName: 'Gaëlle' });
    expect((await caseOf(unnamed.mrn))[0].patient).toMatchObject({ lastName: 'BÉRANGER', firstName: 'Noël' });
    const refused = fields({ trigger: 'S15', charset: '8859/1' });
    const ack = await client.send(siu(refused), 'latin1');
    expect(ack.code).toBe('AE');
    expect(ack.err?.[8]).toContain('Aucun patient programmé ne porte ce rendez-vous');
  });

  it('takes a frame split across writes and two messages in one write, answering each in order', async () => {
    const split = fields();
    const bytes = frame(Buffer.from(siu(split), 'latin1'));
    const before = client.acks.length;
    for (const cut of [[0, 7], [7, 60], [60, bytes.length - 1], [bytes.length - 1, bytes.length]]) {
      client.write(bytes.subarray(cut[0], cut[1]));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await client.ack(before)).toMatchObject({ code: 'AA', acknowledges: split.controlId });
    const one = fields();
    const two = fields();
    client.write(Buffer.concat([frame(Buffer.from(siu(one), 'latin1')), frame(Buffer.from(siu(two), 'latin1'))]));
    expect((await client.ack(before + 1)).acknowledges).toBe(one.controlId);
    expect((await client.ack(before + 2)).acknowledges).toBe(two.controlId);
    for (const f of [split, one, two]) expect((await caseOf(f.mrn)).map((c) => c.patient.firstName)).toEqual(['Hélène']);
  });

  it('acknowledges a duplicate AA and applies it once', async () => {
    const f = fields();
    expect((await client.send(siu(f))).code).toBe('AA');
    expect((await client.send(siu(f))).code).toBe('AA');
    expect(await caseOf(f.mrn)).toHaveLength(1);
    const rows = (await server.app.store.inboxMessages({ limit: 20 })).filter((m) => m.messageId === f.controlId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'applied', sender: 'RIS_IMAGERIE^CHU_NORD', messageType: 'SIU^S12', charset: 'iso-8859-1' });
  });

  it('applies once the same message sent on two connections at the same moment', async () => {
    const second = await MllpClient.connect(port);
    const f = fields();
    const [a, b] = await Promise.all([client.send(siu(f)), second.send(siu(f))]);
    expect([a.code, b.code]).toEqual(['AA', 'AA']);
    expect(await caseOf(f.mrn)).toHaveLength(1);
    expect((await server.app.store.inboxMessages({ limit: 20 })).filter((m) => m.messageId === f.controlId).map((m) => m.status)).toEqual(['applied']);
    second.close();
  });

  it('moves (S13, S14), cancels (S15) and records a no-show (S26) by the booking’s number', async () => {
    const f = fields();
    await client.send(siu(f));
    const later = soon(4);
    expect((await client.send(siu({ ...f, trigger: 'S13', controlId: `${f.controlId}-13`, start: later.ts }))).code).toBe('AA');
    const [moved] = await caseOf(f.mrn, later.day);
    expect(moved.scheduledAt).toBe(later.iso);
    expect((await client.send(siu({ ...f, trigger: 'S14', controlId: `${f.controlId}-14`, start: later.ts, room: 'Salle 3', service: 'CRYO^nerfs géniculés droite' }))).code).toBe('AA');
    expect((await coordinator.get(`/api/cases/${moved.id}`)).body.case).toMatchObject({ plannedRoomId: 'room-3', plannedTargets: [{ nerve: 'genicular', side: 'right' }] });
    expect((await client.send(siu({ ...f, trigger: 'S15', controlId: `${f.controlId}-15`, reason: 'Patient hospitalisé' }))).code).toBe('AA');
    const cancelled = (await coordinator.get(`/api/cases/${moved.id}`)).body;
    expect(cancelled.case.stage).toBe('cancelled');
    expect(cancelled.timeline.at(-1)).toMatchObject({ type: 'CaseCancelled', actor: { id: 'interface:hl7' }, data: { reason: 'other', note: 'Interface HL7 — Patient hospitalisé' } });
    const absent = fields();
    await client.send(siu(absent));
    expect((await client.send(siu({ ...absent, trigger: 'S26', controlId: `${absent.controlId}-26` }))).code).toBe('AA');
    expect((await caseOf(absent.mrn))[0]).toMatchObject({ stage: 'cancelled', cancellation: { reason: 'no_show' } });
  });

  it('refuses (AE) a reschedule of a case already in the room, with the machine’s reason in ERR', async () => {
    const f = fields({ service: 'CRYO^genicular right', room: 'Salle 1' });
    await client.send(siu(f));
    const [booked] = await caseOf(f.mrn);
    await nurse.command(booked.id, { type: 'admit' });
    await nurse.command(booked.id, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    await nurse.command(booked.id, { type: 'mark_ready' });
    await nurse.command(booked.id, { type: 'enter_room', roomId: await nurse.freeRoom() });
    const ack = await client.send(siu({ ...f, trigger: 'S13', controlId: `${f.controlId}-13`, start: soon(5).ts }));
    expect(ack.code).toBe('AE');
    expect(ack.err?.[4]).toBe('E');
    expect(ack.err?.[5]).toMatch(/^wrong_stage\^/);
    const row = (await server.app.store.inboxMessages({ limit: 5, status: 'refused' })).find((m) => m.messageId === `${f.controlId}-13`);
    expect(row).toMatchObject({ rule: 'wrong_stage' });
  });

  it('follows an A08 on the open cases of the MRN, and refuses (AE) an A31 naming another patient', async () => {
    const f = fields({ family: 'MOREAU', given: 'Anaïs', birth: '19700615' });
    await client.send(siu(f));
    expect((await client.send(adt({ trigger: 'A08', controlId: `${f.controlId}-A08`, mrn: f.mrn, family: 'MOREAU-PETIT', given: 'Anaïs', birth: '19700615' }))).code).toBe('AA');
    const [renamed] = await caseOf(f.mrn);
    expect(renamed.patient).toMatchObject({ lastName: 'MOREAU-PETIT', firstName: 'Anaïs' });
    const timeline = (await coordinator.get(`/api/cases/${renamed.id}`)).body.timeline;
    expect(timeline.at(-1)).toMatchObject({ type: 'PatientDemographicsUpdated', data: { previous: { lastName: 'MOREAU' } } });
    const other = await client.send(adt({ trigger: 'A31', controlId: `${f.controlId}-A31`, mrn: f.mrn, family: 'BERNARD', given: 'Luc', birth: '19490120', sex: 'M' }));
    expect(other.code).toBe('AE');
    expect(other.err?.[5]).toMatch(/^mrn_other_patient\^/);
  });

  it('rejects (AR) an unreadable frame and an unsupported type, and keeps serving the connection', async () => {
    const before = client.acks.length;
    client.write(frame(Buffer.from('this is not HL7')));
    expect(await client.ack(before)).toMatchObject({ code: 'AR' });
    const orm = fields();
    const ack = await client.send(siu(orm).replace('SIU^S12^SIU_S12', 'ORM^O01^ORM_O01'));
    expect(ack).toMatchObject({ code: 'AR', acknowledges: orm.controlId });
    expect(ack.err?.[3]).toBe('200^Unsupported message type^HL70357');
    expect((await server.app.store.inboxMessages({ limit: 5 })).find((m) => m.messageId === orm.controlId)).toMatchObject({ status: 'rejected', rule: 'message_type_unsupported' });
    expect((await client.send(siu(fields()))).code).toBe('AA');
  });

  it('closes a connection sending a frame over the size limit, and keeps serving the others', async () => {
    const hostile = await MllpClient.connect(port);
    hostile.write(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(1024 * 1024 + 10, 0x41)]));
    await hostile.closed;
    expect(hostile.acks).toHaveLength(0);
    expect((await client.send(siu(fields()))).code).toBe('AA');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('survives random bytes full of start marks and separators, then answers the next message', async () => {
    const noisy = await MllpClient.connect(port);
    let seed = 17;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 300));
      for (let j = 0; j < bytes.length; j++) {
        const r = random();
        // Start marks, CRs and field separators, and any other byte but the end mark: the frames end
        // where the test says (fewer than the 64 a connection may have waiting), and nowhere else.
        bytes[j] = r < 0.05 ? 0x0b : r < 0.15 ? 0x0d : r < 0.5 ? 0x7c : Math.floor(random() * 256);
        if (bytes[j] === 0x1c) bytes[j] = 0x1d;
      }
      noisy.write(i % 7 === 0 ? Buffer.concat([Buffer.from('\x0bMSH|^~\\&|'), bytes, Buffer.from([0x1c, 0x0d])]) : bytes);
    }
    noisy.write(Buffer.from([0x1c, 0x0d]));
    const f = fields();
    noisy.write(frame(Buffer.from(siu(f), 'latin1')));
    // The noise's own answers come first, in order: the message's is the one naming its MSH-10.
    const answered = async () => {
      for (;;) {
        const ack = noisy.acks.map((a) => readAck(a.toString('latin1'))).find((a) => a.acknowledges === f.controlId);
        if (ack) return ack;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    expect(await answered()).toMatchObject({ code: 'AA' });
    const others = noisy.acks.map((a) => readAck(a.toString('latin1'))).filter((a) => a.acknowledges !== f.controlId);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((a) => a.code === 'AR' || a.code === 'AE')).toBe(true);
    noisy.close();
  });
});

describe('the MLLP listener at server close', () => {
  it('answers the message in hand, closes its connections and frees its port', async () => {
    const other = await startServer({ HL7_MLLP_PORT: '0' });
    const otherPort = other.app.mllp!.address()!.port;
    const held = await MllpClient.connect(otherPort);
    expect((await held.send(siu(fields()))).code).toBe('AA');
    await other.close();
    await held.closed;
    await expect(MllpClient.connect(otherPort)).rejects.toThrow(/ECONNREFUSED/);
    removeDir(other.dir);
  });
});

