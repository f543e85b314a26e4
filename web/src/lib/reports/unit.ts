/**
 * The unit's contact details printed on the discharge sheet.
 * PLACEHOLDER: "01 46 41 25 25" is the hospital switchboard format, not a verified direct line of the
 * interventional-radiology unit. Replace it with the unit's real number before printing sheets for patients.
 */
export const UNIT_CONTACT = {
  phone: '01 46 41 25 25',
  phoneIsPlaceholder: true,
  name: { fr: 'Radiologie interventionnelle — hôpital de jour', en: 'Interventional radiology — day unit' },
} as const;
