import { describe, expect, it } from 'vitest';
import { readTargets } from '../../shared';
import { buildAck } from '../../server/interfaces/mllp/ack';
import { charsetOf, decode, encode, rawMsh18 } from '../../server/interfaces/mllp/charset';
import { MllpDecoder } from '../../server/interfaces/mllp/framing';
import { mapHl7 } from '../../server/interfaces/mllp/mapper';
import { instantOf, parseMessage, readHeader } from '../../server/interfaces/mllp/message';
import type { StoredMessage } from '../../server/interfaces/registry';
import { adt, frame, readAck, siu } from '../support/hl7';

const mapping = { mrnAuthority: 'CHU_NORD', timeZone: 'Europe/Paris' };
const stored = (raw: string, charset = 'utf-8'): StoredMessage => ({ id: 1, channel: 'mllp', sender: 'RIS_IMAGERIE^CHU_NORD', messageId: 'x', raw, charset, messageType: 'SIU^S12' });
const booking = (raw: string) => {
  const mapped = mapHl7(stored(raw), mapping);
  if (!mapped.ok) throw new Error(`${mapped.rule} ${JSON.stringify(mapped.params)}`);
  return mapped.booking;
};

describe('MLLP framing', () => {
  const a = Buffer.from('MSH|one');
  const b = Buffer.from('MSH|two');
  const texts = (events: ReturnType<MllpDecoder['push']>) => events.map((e) => (e.kind === 'frame' ? e.bytes.toString() : e.kind));

  it('cuts two frames sent in one write, and a frame sent byte by byte', () => {
    expect(texts(new MllpDecoder(1024).push(Buffer.concat([frame(a), frame(b)])))).toEqual(['MSH|one', 'MSH|two']);
    const decoder = new MllpDecoder(1024);
    const bytes = frame(a);
    const out = [...bytes].flatMap((byte) => texts(decoder.push(Buffer.of(byte))));
    expect(out).toEqual(['MSH|one']);
  });

  it('keeps a frame split between FS and CR, drops bytes outside frames, and restarts on a new start byte', () => {
    const decoder = new MllpDecoder(1024);
    const bytes = frame(a);
    expect(texts(decoder.push(Buffer.concat([Buffer.from('\n\njunk'), bytes.subarray(0, bytes.length - 1)])))).toEqual([]);
    expect(decoder.partial).toBe(true);
    expect(texts(decoder.push(bytes.subarray(bytes.length - 1)))).toEqual(['MSH|one']);
    expect(texts(decoder.push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('abandoned'), frame(b)])))).toEqual(['MSH|two']);
  });

  it('reports a frame over the limit once, holding nothing of it', () => {
    const decoder = new MllpDecoder(16);
    expect(texts(decoder.push(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(40, 65)])))).toEqual(['oversize']);
    expect(decoder.partial).toBe(false);
  });
});

describe('character sets', () => {
  it('reads MSH-18 from the bytes and decodes each set, the default for an empty one', () => {
    const latin = Buffer.from(siu({ trigger: 'S12', controlId: 'c1', placer: 'P', filler: 'F', mrn: 'M', family: 'FRANÇOIS', given: 'Anaïs', charset: '8859/1' }), 'latin1');
    expect(rawMsh18(latin)).toBe('8859/1');
    expect(decode(latin, charsetOf('8859/1', 'UTF-8')!)).toContain('FRANÇOIS^Anaïs');
    expect(charsetOf('UNICODE UTF-8', 'ISO-8859-1')).toBe('utf-8');
    expect(charsetOf('', 'ISO-8859-1')).toBe('iso-8859-1');
    expect(charsetOf('ISO IR87', 'UTF-8')).toBeNull();
    expect(encode('Vérifiez l’identité', 'iso-8859-1').toString('latin1')).toBe("Vérifiez l'identité");
  });
});

describe('SIU and ADT to bookings', () => {
  const base = { placer: 'DEM-88121', filler: 'RDV-40577', mrn: '00451277', start: '202612011430' };

  it('maps an S12 with its patient, time in the unit’s zone, room name, targets from AIS-3 and numbers', () => {
    expect(booking(siu({ trigger: 'S12', controlId: 'c', ...base, family: 'LEFEBVRE', given: 'Hélène', birth: '19580314', sex: 'F', service: 'CRYO-IC^Cryoneurolyse intercostale T6 gauche^LOCAL', room: 'Salle 2' }))).toEqual({
      kind: 'book',
      appointment: { placer: 'DEM-88121', filler: 'RDV-40577' },
      patient: { mrn: '00451277', familyName: 'LEFEBVRE', givenName: 'Hélène', birthDate: '1958-03-14', sex: 'female' },
      start: '2026-12-01T13:30:00.000Z',
      roomName: 'Salle 2',
      targets: [{ nerve: 'intercostal', level: 'T6', side: 'left' }],
      indicationNote: 'Douleur post-thoracotomie',
    });
  });

  it('takes the start from AIS-4 when SCH-11 gives none, and reads HL7 escapes in names', () => {
    const raw = siu({ trigger: 'S12', controlId: 'c', ...base, family: 'D\\T\\AMOURS', given: 'Marie\\S\\Anne' })
      .replace(`^^45^${base.start}^`, '')
      .replace(`|${base.start}|0|min|`, '|202612011615|0|min|');
    const read = booking(raw);
    expect(read.start).toBe('2026-12-01T15:15:00.000Z');
    expect(read.patient).toMatchObject({ familyName: 'D&AMOURS', givenName: 'Marie^Anne' });
  });

  it('reads targets from a note when AIS-3 names none, and leaves them out when nothing reads', () => {
    const noted = booking(siu({ trigger: 'S12', controlId: 'c', ...base, notes: ['Patient à jeun', 'Cibles : nerfs géniculés droite; intercostal T7 G'] }));
    expect(noted.targets).toEqual([{ nerve: 'genicular', side: 'right' }, { nerve: 'intercostal', level: 'T7', side: 'left' }]);
    expect(booking(siu({ trigger: 'S12', controlId: 'c', ...base })).targets).toBeUndefined();
  });

  it('takes the MRN of the configured authority among several PID-3 identifiers, else the first', () => {
    const pid3 = '1 84 12 59 350 022 45^^^INS-NIR&1.2.250.1.213.1.4.8&ISO^NH~00451277^^^CHU_NORD^PI';
    expect(booking(siu({ trigger: 'S12', controlId: 'c', ...base, pid3 })).patient.mrn).toBe('00451277');
    const first = mapHl7(stored(siu({ trigger: 'S12', controlId: 'c', ...base, pid3 })), { ...mapping, mrnAuthority: '' });
    expect(first.ok && first.booking.patient.mrn).toBe('1 84 12 59 350 022 45');
  });

  it('maps each trigger to its kind, and SCH-6 to the reason', () => {
    expect(booking(siu({ trigger: 'S13', controlId: 'c', ...base })).kind).toBe('reschedule');
    expect(booking(siu({ trigger: 'S14', controlId: 'c', ...base })).kind).toBe('reschedule');
    expect(booking(siu({ trigger: 'S15', controlId: 'c', ...base, reason: 'Annulation patient' }))).toMatchObject({ kind: 'cancel', reason: 'Annulation patient' });
    expect(booking(siu({ trigger: 'S26', controlId: 'c', ...base })).kind).toBe('no_show');
    expect(booking(adt({ trigger: 'A31', controlId: 'c', mrn: '00451277', family: 'DUPONT', given: 'Zoé', birth: '19900101' }))).toEqual({
      kind: 'demographics',
      appointment: {},
      patient: { mrn: '00451277', familyName: 'DUPONT', givenName: 'Zoé', birthDate: '1990-01-01', sex: 'female' },
    });
  });

  it('rejects what it cannot read, naming why', () => {
    expect(mapHl7(stored('garbage'), mapping)).toMatchObject({ ok: false, rule: 'message_unreadable' });
    expect(mapHl7(stored(siu({ trigger: 'S12', controlId: 'c', ...base }).replace('SIU^S12', 'ORM^O01')), mapping)).toMatchObject({ ok: false, rule: 'message_type_unsupported', params: { type: 'ORM^O01' } });
    expect(mapHl7(stored(siu({ trigger: 'S12', controlId: 'c', ...base, version: '2.1' })), mapping)).toMatchObject({ ok: false, rule: 'message_version_unsupported' });
    expect(mapHl7(stored(siu({ trigger: 'S12', controlId: 'c', ...base, start: '202613011430' })), mapping)).toMatchObject({ ok: false, rule: 'booking_field_invalid' });
    expect(mapHl7(stored(siu({ trigger: 'S12', controlId: 'c', ...base }), 'ISO IR87'), mapping)).toMatchObject({ ok: false, rule: 'message_unreadable' });
  });

  it('reads HL7 times with and without an offset, across the clock change', () => {
    expect(instantOf('202607011430', 'Europe/Paris')).toBe('2026-07-01T12:30:00.000Z');
    expect(instantOf('20260329030000', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
    expect(instantOf('202612011430+0000', 'Europe/Paris')).toBe('2026-12-01T14:30:00.000Z');
    expect(instantOf('2026120114', 'Europe/Paris')).toBeNull();
  });
});

describe('targets written as text', () => {
  it('reads nerve, level and side in French or English, and refuses a list with a target it cannot read', () => {
    expect(readTargets('intercostal T6 gauche; intercostal T7 gauche')).toEqual([
      { nerve: 'intercostal', level: 'T6', side: 'left' },
      { nerve: 'intercostal', level: 'T7', side: 'left' },
    ]);
    expect(readTargets('Nerf grand occipital bilatéral')).toEqual([{ nerve: 'greater_occipital', side: 'bilateral' }]);
    expect(readTargets('nerf sural droite')).toEqual([{ nerve: 'sural', side: 'right' }]);
    expect(readTargets('intercostal T6 gauche; genou')).toBeNull();
  });
});

describe('acknowledgements', () => {
  const header = readHeader(parseMessage(siu({ trigger: 'S15', controlId: 'MSG-0042', placer: 'P', filler: 'F', mrn: 'M' }))!)!;

  it('swaps sender and receiver, gives a new control id and acknowledges the original one', () => {
    const ack = readAck(buildAck(header, 'AA', null, { lang: 'fr', msh18: '' }));
    expect(ack.msh.slice(2, 6)).toEqual(['CRYODAY', 'RADIO_INTERV', 'RIS_IMAGERIE', 'CHU_NORD']);
    expect(ack.msh[8]).toBe('ACK^S15^ACK');
    expect(ack.msh[9]).not.toBe('MSG-0042');
    expect(ack.msh[9]!.length).toBeLessThanOrEqual(20);
    expect(ack).toMatchObject({ code: 'AA', acknowledges: 'MSG-0042', err: null });
  });

  it('puts the machine’s reason in ERR, escaped', () => {
    const ack = readAck(buildAck(header, 'AE', { rule: 'appointment_unknown', params: { appointment: 'RDV|7' } }, { lang: 'fr', msh18: 'UNICODE UTF-8' }));
    expect(ack.code).toBe('AE');
    expect(ack.msh[17]).toBe('UNICODE UTF-8');
    expect(ack.err?.[3]).toBe('204^Unknown key identifier^HL70357');
    expect(ack.err?.[5]).toMatch(/^appointment_unknown\^Aucun patient programmé ne porte ce rendez-vous \(RDV\\F\\7\)/);
  });
});
