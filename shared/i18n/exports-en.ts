// The exports' own phrases (FHIR texts, CSV notes), beside the domain words they combine with.
export const exportsEn = {
  'export.procedure': 'Image-guided percutaneous cryoneurolysis',
  'export.encounter': 'Interventional radiology day case',
  'export.cycle': 'Freeze cycle {n}',
  'export.lowestTemp': 'Lowest probe temperature',
  'export.iceBall': 'Ice-ball diameter',
  'export.plannedFreeze': 'Planned freeze: {s} s',
  'export.guidance': 'Guidance: {g}',
  'export.stimulation': 'Stimulation test: {r}',
  'export.thaw': 'Thaw: {m}',
  'export.probe': 'Probe {type}, {gauge} G',
  'export.observationBay': 'Observation bay',
  'export.radiologist': 'Interventional radiologist',
  'export.aborted': 'Procedure stopped early: {reason}',
  'export.timeOut': 'Time-out: identity, procedure, targets ({targets}), allergies, anticoagulation, imaging and equipment confirmed; site marked: {marked, select, yes {yes} other {no}}',
  'export.signOut': 'Sign-out: cycles, complications and instructions confirmed',
  'export.offPlan': 'Off-plan target {target}: {reason}',
  'export.aldrete': 'Modified Aldrete score',
  'export.allergyOverride': 'Despite the allergy: {reason}',
  'export.withEpinephrine': 'with epinephrine',
  'export.bodyWeight': 'Body weight',
  'export.noIceBall': 'No ice ball: the freeze had no effect (stopped or mis-tap) and is not counted',
} as const satisfies Record<string, string>;

export type ExportKey = keyof typeof exportsEn;
