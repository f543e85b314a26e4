import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, parseCsv, readScheduleFile, translate, wallTimeToIso, type RoomView } from '../../shared';

// Windows-1252 bytes written out by hand (é = 0xE9, ç = 0xE7), so the decoder is tested against the
// code page itself and not against another encoder.
const cp1252 = (text: string) => Uint8Array.from([...text].map((ch) => ({ é: 0xe9, ç: 0xe7, è: 0xe8 })[ch] ?? ch.charCodeAt(0)));
const ROOMS: RoomView[] = [
  { id: 'room-1', name: 'Salle 1', status: 'free', caseId: null },
  { id: 'room-2', name: 'Salle Écho', status: 'free', caseId: null },
];
const HEADER = 'date;heure;salle;ipp;nom;prénom;date_naissance;sexe;cibles;sédation;indication';

describe('decoding a schedule file', () => {
  it('reads UTF-8, with or without its byte-order mark', () => {
    const utf8 = new TextEncoder().encode('nom\nHélène');
    expect(decodeCsv(utf8)).toEqual({ text: 'nom\nHélène', charset: 'utf-8' });
    expect(decodeCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('nom\nHélène');
  });

  it('reads Windows-1252 when the bytes are not UTF-8, accents intact', () => {
    expect(decodeCsv(cp1252('nom;prénom\nFrançois;Hélène'))).toEqual({ text: 'nom;prénom\nFrançois;Hélène', charset: 'windows-1252' });
  });
});

describe('splitting a schedule file', () => {
  it('finds the delimiter on the header line, semicolon or comma', () => {
    expect(detectDelimiter('date;time;mrn\n1,2,3,4')).toBe(';');
    expect(detectDelimiter('date,time,mrn\n1;2;3;4')).toBe(',');
    expect(detectDelimiter('"a;b",c\n')).toBe(',');
  });

  it('keeps quoted delimiters, doubled quotes and line breaks in a cell, counts lines as the file does, and drops blank lines', () => {
    const { lines } = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n');
    expect(lines).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['two\nlines', 'z'] },
    ]);
  });
});

describe('reading bookings from a schedule file', () => {
  it('turns a French line into the booking schedule_case takes: day and time in the unit zone, room by name, targets, sex and sedation in words', () => {
    const file = readScheduleFile(
      `${HEADER};rdv\n02/12/2026;8h30;salle écho;IPP-1;Lefèvre;Hélène;1950-03-04;F;génicul / supéromédial / gauche | saphenous / droite;oui;Gonarthrose;RDV-88`,
      ROOMS,
      'Europe/Paris',
    );
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.delimiter).toBe(';');
    const [row] = file.rows;
    expect(row!.problems).toEqual([]);
    expect(row!.body).toEqual({
      patient: { firstName: 'Hélène', lastName: 'Lefèvre', mrn: 'IPP-1', birthDate: '1950-03-04', sex: 'female' },
      scheduledAt: '2026-12-02T07:30:00.000Z',
      plannedRoomId: 'room-2',
      plannedTargets: [
        { nerve: 'génicul', level: 'supéromédial', side: 'left' },
        { nerve: 'saphenous', side: 'right' },
      ],
      indicationNote: 'Gonarthrose',
      plannedSedation: true,
      appointment: { filler: 'RDV-88' },
    });
  });

  it('says every problem of a bad line in words, in both languages, and keeps the good line', () => {
    const file = readScheduleFile(
      'date,time,mrn,last_name,first_name,birth_date,sex,targets\n2026-12-02,25:00,,Martin,Paul,31/02/1960,X,genicular\n2026-12-02,09:00,M2,Roux,Anne,1961-05-06,,genicular / left',
      ROOMS,
      'Europe/Paris',
    );
    if (!file.ok) throw new Error('file refused');
    const [bad, good] = file.rows;
    expect(bad!.body).toBeUndefined();
    expect(bad!.problems.map((p) => translate('en', p))).toEqual([
      'Time: "25:00" is not a time (HH:MM).',
      'Date of birth: "31/02/1960" is not a date (YYYY-MM-DD or DD/MM/YYYY).',
      'Medical record number: missing.',
      'Sex: "X" is not F, M or other.',
      'Target "genicular": write nerve / side, or nerve / level / side.',
    ]);
    expect(translate('fr', bad!.problems[2]!)).toBe('IPP\u00a0: manquant.');
    expect(good!.problems).toEqual([]);
    expect(good!.body?.plannedRoomId).toBeNull();
  });

  it('keeps an unknown room as written, for schedule_case to name it', () => {
    const file = readScheduleFile(`${HEADER}\n2026-12-02;09:00;Salle 9;M3;Roux;Anne;1961-05-06;;genicular/left;;`, ROOMS, 'Europe/Paris');
    if (!file.ok) throw new Error('file refused');
    expect(file.rows[0]!.body?.plannedRoomId).toBe('Salle 9');
  });

  it('refuses a file without its required columns or without any line, saying which', () => {
    const missing = readScheduleFile('date;heure;nom\n2026-12-02;09:00;Roux', ROOMS, 'Europe/Paris');
    expect(missing.ok ? null : translate('en', missing.problem)).toBe('Columns missing from the header line: mrn, first_name, birth_date.');
    const empty = readScheduleFile(`${HEADER}\n\n`, ROOMS, 'Europe/Paris');
    expect(empty.ok).toBe(false);
  });

  it('places a wall-clock time in the unit zone on both sides of the change to summer time', () => {
    expect(wallTimeToIso('2026-03-28', '09:00', 'Europe/Paris')).toBe('2026-03-28T08:00:00.000Z');
    expect(wallTimeToIso('2026-03-30', '09:00', 'Europe/Paris')).toBe('2026-03-30T07:00:00.000Z');
  });
});
