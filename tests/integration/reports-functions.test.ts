import { describe, expect, it } from 'vitest';
import { fold, type Actor, type CaseEvent } from '../../shared';
import { casesCsv, cyclesCsv, formatCell, guardText, quote, toCsv } from '../../server/reports/csv';
import { addMonths, daysInRange, isCalendarDay, localDateTime } from '../../server/reports/dates';
import { average, dayReport } from '../../server/reports/day-report';
import { caseBundle, encounterStatus, nameUuid, procedureStatus } from '../../server/reports/fhir';
import { followUpLine } from '../../server/reports/follow-up';
import { checkRange } from '../../server/reports/range';

// Pure report functions on hand-built event streams folded by the shared evolve(): no server.
const nurse: Actor = { id: 'n', name: 'Inès', role: 'nurse' };
const radio: Actor = { id: 'r', name: 'Dr Roche', role: 'radiologist' };
const coord: Actor = { id: 'c', name: 'Julie', role: 'coordinator' };
const T0 = Date.parse('2025-03-10T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const ev = (type: CaseEvent['type'], min: number, data: Record<string, unknown> = {}, actor = nurse) =>
  ({ type, occurredAt: at(min), recordedAt: at(min), actor, data }) as CaseEvent;
const target = { nerve: 'intercostal', level: 'T6', side: 'left' as const };

function scheduled(id: string, patient = { firstName: 'Anne', lastName: 'Bost', mrn: `M-${id}`, birthDate: '1970-01-01' }) {
  return ev('CaseScheduled', -600, { caseId: id, patient, scheduledAt: at(0), plannedRoomId: 'room-1', plannedTargets: [target] }, coord);
}

const cycle = (start: number, temp: number) => [
  ev('FreezeStarted', start, { gas: 'n2o', plannedSeconds: 180 }, radio),
  ev('FreezeEnded', start + 3, { lowestTempC: temp, thawMode: 'passive' }, radio),
  ev('ThawEnded', start + 5, {}, radio),
];

/** Admitted at 0, room at 30, first freeze at 40, probe out at 60, observation at 70, discharged at 100. */
const discharged = fold([
  scheduled('a'),
  ev('PatientAdmitted', 0),
  ev('PatientMarkedReady', 10),
  ev('RoomEntered', 30, { roomId: 'room-1' }),
  ev('LocalAnesthesiaGiven', 32, { agent: 'Lido' }, radio),
  ev('ProbePositioned', 35, { target, guidance: 'ct', probe: { type: 'P', gauge: 14 } }, radio),
  ...cycle(40, -80),
  ...cycle(48, -86),
  ev('ComplicationRecorded', 55, { kind: 'vasovagal', grade: 2 }, radio),
  ev('ProbeRemoved', 60, {}, radio),
  ev('DressingApplied', 62),
  ev('ObservationStarted', 70),
  ev('PainScoreRecorded', 95, { score: 6, moment: 'admission' }),
  ev('PatientDischarged', 100, { escortConfirmed: true, instructionsGiven: true }),
]);

const cancelled = fold([
  scheduled('b', { firstName: 'Éric', lastName: 'Zola', mrn: 'M-b', birthDate: '1980-01-01' }),
  ev('CaseRescheduled', -500, { scheduledAt: at(60) }, coord),
  ev('CaseRescheduled', -400, { scheduledAt: at(90), reason: 'equipment' }, coord),
  ev('CaseCancelled', 20, { reason: 'not_fasting' }, coord),
]);

/** Room at 30; a freeze at 38 made no ice ball (the gas failed), the next one at 42 did; probe out at 50. */
const glitched = fold([
  scheduled('d'),
  ev('PatientAdmitted', 0),
  ev('PatientMarkedReady', 10),
  ev('RoomEntered', 30, { roomId: 'room-1' }),
  ev('LocalAnesthesiaGiven', 32, { agent: 'Lido' }, radio),
  ev('ProbePositioned', 35, { target, guidance: 'ct', probe: { type: 'P', gauge: 14 } }, radio),
  ev('FreezeStarted', 38, { gas: 'n2o', plannedSeconds: 180 }, radio),
  ev('FreezeEnded', 39, { noIceBall: true, thawMode: 'passive' }, radio),
  ev('ThawEnded', 40, {}, radio),
  ...cycle(42, -82),
  ev('ProbeRemoved', 50, {}, radio),
]);

/** Still in room 2 at the time of the report. */
const inRoom = fold([scheduled('c'), ev('PatientAdmitted', 100), ev('PatientMarkedReady', 105), ev('RoomEntered', 110, { roomId: 'room-2' })]);

describe('day report', () => {
  const report = dayReport({
    date: '2025-03-10',
    cases: [discharged, cancelled, inRoom],
    rooms: [
      { id: 'room-1', name: 'Salle 1' },
      { id: 'room-2', name: 'Salle 2' },
    ],
    roomReadies: [{ roomId: 'room-1', at: at(85) }],
    now: at(130),
  });

  it('times each stage from occurredAt', () => {
    expect(report.cases[0]!.durations).toEqual({ arrivalToRoom: 30, roomToFirstFreeze: 10, procedure: 30, observation: 30, totalStay: 100 });
    expect(report.cases[2]!.durations.arrivalToRoom).toBe(10);
    expect(report.averages.arrivalToRoom).toEqual({ mean: 20, median: 20, n: 2 });
    expect(report.averages.totalStay).toEqual({ mean: 100, median: 100, n: 1 });
  });

  it('measures rooms over the activity span, with turnover from leaving to ready', () => {
    // Span: first entry (30) to now (130), since room 2 is still occupied.
    expect(report.span.minutes).toBe(100);
    const [room1, room2] = report.rooms;
    expect(room1).toMatchObject({ occupiedMinutes: 40, utilisation: 0.4, turnovers: [15], meanTurnover: 15 });
    expect(room2).toMatchObject({ occupiedMinutes: 20, utilisation: 0.2, turnovers: [] });
    expect(report.meanTurnover).toBe(15);
  });

  it('sums cycles per target, complications by grade, cancellations and delays by reason', () => {
    expect(report.targets).toEqual([{ nerve: 'intercostal', level: 'T6', side: 'left', cycles: 2, totalFreezeSeconds: 360, lowestTempC: -86, noIceBall: 0, running: 0, offPlan: false }]);
    expect(report.complicationsByGrade).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 0, '6': 0 });
    expect(report.complicationsByKind).toEqual({ vasovagal: 1 });
    expect(report.cancellationsByReason).toEqual({ not_fasting: 1 });
    expect(report.delaysByReason).toEqual({ equipment: 1, unspecified: 1 });
    expect(report.counts).toMatchObject({ scheduled: 3, discharged: 1, cancelled: 1, inProgress: 1 });
  });

  it('averages only what happened', () => {
    expect(average([null, null])).toEqual({ mean: null, median: null, n: 0 });
    expect(average([1, 2, 10])).toEqual({ mean: 4.3, median: 2, n: 3 });
  });
});

describe('CSV', () => {
  it('defuses formulas in text but keeps negative numbers as numbers', () => {
    for (const s of ['=1+1', '+33 6', '-x', '@SUM(A1)', '\tx']) expect(guardText(s)).toBe(`'${s}`);
    expect(formatCell(-82)).toBe('-82');
    expect(formatCell(9.5)).toBe('9,5');
    expect(formatCell('-82')).toBe("'-82");
  });

  it('quotes per RFC 4180 and starts with a BOM', () => {
    expect(quote('a;b')).toBe('"a;b"');
    expect(quote('say "hi"')).toBe('"say ""hi"""');
    expect(quote('two\nlines')).toBe('"two\nlines"');
    expect(toCsv(['x', 'y'], [['a', 1]])).toBe('\uFEFFx;y\r\na;1\r\n');
  });

  it('writes the unit wall-clock time and the durations', () => {
    const csv = casesCsv([{ day: '2025-03-10', state: discharged }], 'Europe/Paris');
    const [header, row] = csv.slice(1).split('\r\n');
    const cells = row!.split(';');
    const cell = (name: string) => cells[header!.split(';').indexOf(name)];
    expect(cell('admitted_at')).toBe('2025-03-10 09:00');
    expect(cell('total_stay_min')).toBe('100');
    expect(cell('lowest_temp_c')).toBe('-86');
    expect(cell('pain_admission')).toBe('6');
  });
});

describe('a freeze that made no ice ball', () => {
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean);
    const names = header!.split(';');
    // A cell holding a comma is quoted (a spreadsheet opened with either separator keeps it whole).
    return rows.map((row) => (name: string) => row.split(';')[names.indexOf(name)]?.replace(/^"(.*)"$/, '$1'));
  };

  it('is marked in the day report and counted in none of its cycles, freeze times or temperatures', () => {
    const report = dayReport({ date: '2025-03-10', cases: [glitched], rooms: [{ id: 'room-1', name: 'Salle 1' }], roomReadies: [], now: at(60) });
    expect(report.targets).toEqual([{ nerve: 'intercostal', level: 'T6', side: 'left', cycles: 1, totalFreezeSeconds: 180, lowestTempC: -82, noIceBall: 1, running: 0, offPlan: false }]);
    expect(report.cases[0]).toMatchObject({ cycles: 1, noIceBall: 1 });
    // The first freeze is the first one that froze: room at 30, ice at 42.
    expect(report.cases[0]!.durations.roomToFirstFreeze).toBe(12);
  });

  it('is a marked row of freeze-cycles.csv and only its own count in cases.csv', () => {
    const [cell] = cellsOf(casesCsv([{ day: '2025-03-10', state: glitched }], 'Europe/Paris'));
    expect(['cycles', 'total_freeze_s', 'lowest_temp_c', 'no_ice_ball_cycles', 'first_freeze_at'].map((c) => cell!(c))).toEqual([
      '1',
      '180',
      '-82',
      '1',
      '2025-03-10 09:42',
    ]);
    const rows = cellsOf(cyclesCsv([{ day: '2025-03-10', state: glitched }], 'Europe/Paris'));
    expect(rows.map((row) => [row('cycle'), row('no_ice_ball'), row('lowest_temp_c'), row('freeze_s')])).toEqual([
      ['1', '1', '', '60'],
      ['2', '0', '-82', '180'],
    ]);
  });

  it('is a not-done child procedure in FHIR, with its reason, no performed period and no temperature', () => {
    const bundle = caseBundle(glitched, { lang: 'fr', rooms: new Map([['room-1', 'Salle 1']]), now: at(60) });
    const resources = bundle.entry.map((e) => e.resource as Record<string, unknown> & { resourceType: string });
    const children = resources.filter((r) => r.resourceType === 'Procedure' && r.partOf);
    expect(children.map((c) => c.status)).toEqual(['not-done', 'completed']);
    expect(children[0]!.statusReason).toEqual({ text: expect.stringContaining('Pas de boule de glace') });
    expect(children[0]!.performedPeriod).toBeUndefined();
    const temps = resources.filter((r) => r.resourceType === 'Observation' && JSON.stringify(r.code).includes('probe-lowest-temperature'));
    expect(temps.map((o) => (o.valueQuantity as { value: number }).value)).toEqual([-82]);
  });
});

/** One whole cycle from 40 to 45, then a second freeze started at 48 and still running at 50. */
const freezing = fold([
  scheduled('f'),
  ev('PatientAdmitted', 0),
  ev('PatientMarkedReady', 10),
  ev('RoomEntered', 30, { roomId: 'room-1' }),
  ev('LocalAnesthesiaGiven', 32, { agent: 'Lido' }, radio),
  ev('ProbePositioned', 35, { target, guidance: 'ct', probe: { type: 'P', gauge: 14 } }, radio),
  ...cycle(40, -84),
  ev('FreezeStarted', 48, { gas: 'n2o', plannedSeconds: 180 }, radio),
]);

describe('a freeze still running', () => {
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean);
    const names = header!.split(';');
    // A cell holding a comma is quoted (a spreadsheet opened with either separator keeps it whole).
    return rows.map((row) => (name: string) => row.split(';')[names.indexOf(name)]?.replace(/^"(.*)"$/, '$1'));
  };

  it('is shown as running in the day report, neither counted nor timed as a 0:00 cycle', () => {
    const report = dayReport({ date: '2025-03-10', cases: [freezing], rooms: [{ id: 'room-1', name: 'Salle 1' }], roomReadies: [], now: at(50) });
    expect(report.targets).toEqual([{ nerve: 'intercostal', level: 'T6', side: 'left', cycles: 1, totalFreezeSeconds: 180, lowestTempC: -84, noIceBall: 0, running: 1, offPlan: false }]);
    expect(report.cases[0]).toMatchObject({ cycles: 1, noIceBall: 0 });
  });

  it('is left out of both CSV exports until it ends', () => {
    const [cell] = cellsOf(casesCsv([{ day: '2025-03-10', state: freezing }], 'Europe/Paris'));
    expect(['cycles', 'total_freeze_s', 'no_ice_ball_cycles'].map((c) => cell!(c))).toEqual(['1', '180', '0']);
    const rows = cellsOf(cyclesCsv([{ day: '2025-03-10', state: freezing }], 'Europe/Paris'));
    expect(rows.map((row) => [row('cycle'), row('freeze_s')])).toEqual([['1', '180']]);
  });

  it('is an in-progress child procedure in FHIR with a start and no end, and no temperature', () => {
    const bundle = caseBundle(freezing, { lang: 'en', rooms: new Map([['room-1', 'Salle 1']]), now: at(50) });
    const resources = bundle.entry.map((e) => e.resource as Record<string, unknown> & { resourceType: string });
    const children = resources.filter((r) => r.resourceType === 'Procedure' && r.partOf);
    expect(children.map((c) => [c.status, c.performedPeriod])).toEqual([
      ['completed', { start: at(40), end: at(45) }],
      ['in-progress', { start: at(48) }],
    ]);
    const temps = resources.filter((r) => r.resourceType === 'Observation' && JSON.stringify(r.code).includes('probe-lowest-temperature'));
    expect(temps).toHaveLength(1);
  });
});

/** Weighed 60 kg; time-out by the nurse, lidocaine then ropivacaine, an off-plan site with a reason, sign-out by the radiologist. */
const offPlanSite = { nerve: 'intercostal', level: 'T7', side: 'left' as const };
const safe = fold([
  scheduled('s'),
  ev('PatientAdmitted', 0),
  ev('ChecklistRecorded', 2, { weightKg: 60, allergies: { has: true, allergens: ['chlorhexidine', 'latex'], details: 'eczéma' } }),
  ev('PatientMarkedReady', 10),
  ev('RoomEntered', 30, { roomId: 'room-1' }),
  ev('TimeOutConfirmed', 31, { identityConfirmed: true, procedureConfirmed: true, targets: [target], siteMarked: true, allergiesReviewed: true, anticoagulationReviewed: true, imagingReviewed: true, equipmentChecked: true }),
  ev('LocalAnesthesiaGiven', 32, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 9 }, radio),
  ev('LocalAnesthesiaGiven', 33, { agent: 'ropivacaine', concentrationPercent: 0.75, volumeMl: 4, withEpinephrine: true }, radio),
  ev('ProbePositioned', 35, { target, guidance: 'ct', probe: { type: 'P', gauge: 14 } }, radio),
  ...cycle(40, -80),
  ev('ProbePositioned', 46, { target: offPlanSite, guidance: 'ct', probe: { type: 'P', gauge: 14 }, offPlanReason: 'Extension de la douleur à T7' }, radio),
  ...cycle(47, -84),
  ev('ProbeRemoved', 60, {}, radio),
  ev('DressingApplied', 62),
  ev('SignOutConfirmed', 63, { cyclesReviewed: true, complicationsReviewed: true, instructionsHandedOver: true }, radio),
  ev('ObservationStarted', 70),
]);

describe('the procedure-room safety record in the reports', () => {
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean);
    const names = header!.split(';');
    // A cell holding a comma is quoted (a spreadsheet opened with either separator keeps it whole).
    return rows.map((row) => (name: string) => row.split(';')[names.indexOf(name)]?.replace(/^"(.*)"$/, '$1'));
  };

  it('the day report says whether each moment was confirmed, the mg given, the share of the maximum and the off-plan sites', () => {
    const report = dayReport({ date: '2025-03-10', cases: [safe, discharged], rooms: [{ id: 'room-1', name: 'Salle 1' }], roomReadies: [], now: at(80) });
    // 90 mg of lidocaine (of 270 mg at 60 kg) and 30 mg of ropivacaine (of 180 mg): 33.3 % + 16.7 %.
    expect(report.cases[0]).toMatchObject({ timeOut: true, signOut: true, offPlanTargets: 1, localAnestheticMg: 120, maxDosePct: 50 });
    // A case recorded before the safety moments: nothing confirmed, its free-text anaesthetic counted nowhere.
    expect(report.cases[1]).toMatchObject({ timeOut: false, signOut: false, offPlanTargets: 0, localAnestheticMg: null, maxDosePct: null });
    expect(report.targets.map((t) => [t.level, t.offPlan])).toEqual([['T6', false], ['T7', true]]);
  });

  it('cases.csv has weight, allergens, each injection in mg, the moments with who, the off-plan reason', () => {
    const [cell] = cellsOf(casesCsv([{ day: '2025-03-10', state: safe }], 'Europe/Paris'));
    expect(
      ['weight_kg', 'allergens', 'local_anesthetics', 'local_anesthetic_mg', 'local_anesthetic_max_pct', 'time_out_at', 'time_out_by', 'sign_out_at', 'sign_out_by', 'off_plan_targets'].map((c) => cell!(c)),
    ).toEqual([
      '60',
      'chlorhexidine | latex',
      'lidocaine 1 % 9 mL 90 mg | ropivacaine 0,75 % + epi 4 mL 30 mg',
      '120',
      '50',
      '2025-03-10 09:31',
      'Inès',
      '2025-03-10 10:03',
      'Dr Roche',
      'Nerf intercostal T7 — Gauche: Extension de la douleur à T7',
    ]);
    const [legacy] = cellsOf(casesCsv([{ day: '2025-03-10', state: discharged }], 'Europe/Paris'));
    expect(['local_anesthetics', 'local_anesthetic_mg', 'time_out_at'].map((c) => legacy!(c))).toEqual(['Lido', '', '']);
    const rows = cellsOf(cyclesCsv([{ day: '2025-03-10', state: safe }], 'Europe/Paris'));
    expect(rows.map((row) => [row('level'), row('off_plan')])).toEqual([['T6', '0'], ['T7', '1']]);
  });

  it('FHIR: the anaesthetics in mg, the allergies, the moments as notes', () => {
    const bundle = caseBundle(safe, { lang: 'en', rooms: new Map([['room-1', 'Salle 1']]), now: at(80) });
    const of = (type: string) => bundle.entry.map((e) => e.resource as Record<string, any>).filter((r) => r.resourceType === type);
    expect(of('MedicationAdministration').map((m) => [m.medicationCodeableConcept.coding[0].code, m.dosage.dose.value])).toEqual([['N01BB02', 90], ['N01BB09', 30]]);
    expect(of('AllergyIntolerance').map((a) => [a.code.coding[0].code, a.category?.[0]])).toEqual([['chlorhexidine', 'medication'], ['latex', 'environment']]);
    const notes = of('Procedure').find((p) => !p.partOf)!.note.map((n: { text: string; authorString?: string }) => [n.authorString, n.text.split(':')[0]]);
    expect(notes).toEqual([['Inès', 'Time-out'], ['Dr Roche', 'Off-plan target Intercostal nerve T7 — Left'], ['Dr Roche', 'Sign-out']]);
  });
});

describe('dates and ranges', () => {
  it('accepts real days and ranges up to 366 days only', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2025-02-29')).toBe(false);
    expect(daysInRange('2024-01-01', '2024-12-31')).toBe(366);
    expect(() => checkRange('2024-01-01', '2024-12-31')).not.toThrow();
    expect(() => checkRange('2024-01-01', '2025-01-01')).toThrow(/366/);
    expect(() => checkRange('2024-01-02', '2024-01-01')).toThrow();
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(localDateTime('2025-07-01T22:30:00Z', 'Europe/Paris')).toBe('2025-07-02 00:30');
  });
});

describe('follow-up', () => {
  it('schedules J+1, 1 month and 3 months from the discharge day and measures relief', () => {
    const line = followUpLine(discharged, '2025-03-11', 'Europe/Paris')!;
    expect(line.calls.map((c) => [c.moment, c.dueOn, c.status])).toEqual([
      ['followup_d1', '2025-03-11', 'due'],
      ['followup_m1', '2025-04-10', 'upcoming'],
      ['followup_m3', '2025-06-10', 'upcoming'],
    ]);
    expect(followUpLine(discharged, '2025-03-20', 'Europe/Paris')!.calls[0]!.status).toBe('overdue');
    expect(line.relief).toBeNull();
    expect(followUpLine(cancelled, '2025-03-11', 'Europe/Paris')).toBeNull();
  });
});

describe('FHIR status mapping', () => {
  it('follows the stages', () => {
    expect(encounterStatus('scheduled')).toBe('planned');
    expect(encounterStatus('ready')).toBe('arrived');
    expect(encounterStatus('freezing')).toBe('in-progress');
    expect(encounterStatus('discharged')).toBe('finished');
    expect(procedureStatus(discharged)).toBe('completed');
    expect(procedureStatus(cancelled)).toBe('not-done');
    expect(procedureStatus(inRoom)).toBe('in-progress');
    expect(nameUuid('x')).toBe(nameUuid('x'));
    expect(nameUuid('x')).not.toBe(nameUuid('y'));
  });
});

/** The probe scanned at the first target and moved to the second without a new scan; the nurse scans the introducer. */
const probeLabel = { gtin: '04006381333931', lot: 'CP-77', serial: 'S1', expiry: '2027-12-31', udi: '(01)04006381333931(17)271231(10)CP-77(21)S1' };
const traced = fold([
  scheduled('d'),
  ev('PatientAdmitted', 0),
  ev('RoomEntered', 30, { roomId: 'room-1' }),
  ev('DeviceRecorded', 31, { kind: 'introducer', device: { lot: '=HYPERLINK("x")' } }),
  ev('ProbePositioned', 35, { target, guidance: 'ultrasound', probe: { type: 'P', gauge: 14 }, device: probeLabel }, radio),
  ...cycle(40, -80),
  ev('ProbePositioned', 46, { target: offPlanSite, guidance: 'ultrasound', probe: { type: 'P', gauge: 14 }, offPlanReason: 'Extension à T7' }, radio),
  ...cycle(47, -84),
]);

describe('devices in the reports', () => {
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean);
    const names = header!.split(';');
    return rows.map((row) => (name: string) => row.split(';')[names.indexOf(name)]?.replace(/^"(.*)"$/, '$1'));
  };

  it('the day report lists each device once, as its label reads', () => {
    const report = dayReport({ date: '2025-03-10', cases: [traced, discharged], rooms: [{ id: 'room-1', name: 'Salle 1' }], roomReadies: [], now: at(80) });
    expect(report.cases[0]!.devices).toEqual([
      { kind: 'introducer', gtin: null, lot: '=HYPERLINK("x")', serial: null, expiry: null },
      { kind: 'cryoprobe', gtin: '04006381333931', lot: 'CP-77', serial: 'S1', expiry: '2027-12-31' },
    ]);
    expect(report.cases[1]!.devices).toEqual([]);
  });

  it('cases.csv names every device (a lot typed as a formula is inside the cell, never at its start); freeze-cycles.csv names the probe of each cycle', () => {
    const [cell] = cellsOf(casesCsv([{ day: '2025-03-10', state: traced }], 'Europe/Paris'));
    expect(cell!('devices')).toBe(`introducer lot =HYPERLINK(""x"") | cryoprobe 04006381333931 lot CP-77 sn S1 exp 2027-12-31`);
    const rows = cellsOf(cyclesCsv([{ day: '2025-03-10', state: traced }], 'Europe/Paris'));
    expect(rows.map((row) => [row('level'), row('probe_gtin'), row('probe_lot'), row('probe_serial'), row('probe_expiry')])).toEqual([
      ['T6', '04006381333931', 'CP-77', 'S1', '2027-12-31'],
      ['T7', '04006381333931', 'CP-77', 'S1', '2027-12-31'],
    ]);
  });
});
