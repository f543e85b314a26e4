import type { LabelKey } from './keys';

// What a patient is told on leaving, written once: the discharge form shows it to the nurse who
// hands it over, the printed sheet gives it to the patient.
export const DISCHARGE_INSTRUCTIONS = [
  { heading: 'sheet.normal', items: ['sheet.normal1', 'sheet.normal2', 'sheet.normal3', 'sheet.normal4'] },
  { heading: 'sheet.call', items: ['sheet.call1', 'sheet.call2', 'sheet.call3', 'sheet.call4'] },
] as const satisfies readonly { heading: LabelKey; items: readonly LabelKey[] }[];
