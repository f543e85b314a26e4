import type { UnitIdentity } from '../contract/unit';

export type { UnitIdentity, UnitIdentityChange, UnitIdentityRecord } from '../contract/unit';

export const UNIT_IDENTITY_FIELDS = ['name', 'address', 'dayPhone', 'nightPhone', 'referringRadiologist'] as const;
export type UnitIdentityField = (typeof UNIT_IDENTITY_FIELDS)[number];

export const UNIT_IDENTITY_MAX_LENGTH: Record<UnitIdentityField, number> = {
  name: 120,
  address: 300,
  dayPhone: 30,
  nightPhone: 30,
  referringRadiologist: 120,
};

/** The fields a printed sheet would leave blank: the sheet names them to staff instead of printing a guess. */
export function unitIdentityGaps(identity: UnitIdentity | null): UnitIdentityField[] {
  return UNIT_IDENTITY_FIELDS.filter((field) => !identity || identity[field].trim() === '');
}
