// What the forms offer for free-text products. A suggestion is written into the record as shown, so
// it is one spelling in every screen language: a drug with a French and an English name would be
// two drugs in the reports. The spellings are the unit's own (its records are kept in French).
export const SEDATION_SUGGESTIONS = ['Midazolam', 'MEOPA (N₂O/O₂ 50/50)'] as const;
export const PROBE_TYPE_SUGGESTIONS = ['Cryosonde 1,7 mm', 'Cryosonde 1,3 mm'] as const;
