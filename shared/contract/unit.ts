import Type, { type Static, type TSchema } from 'typebox';
import { UNIT_IDENTITY_MAX_LENGTH, type UnitIdentityField } from '../domain/unit-identity';

// The unit's identity as /api/unit answers it and an admin saves it (PUT /api/admin/unit validates with it).

const Instant = Type.String({ format: 'date-time' });
// Empty until known (the sheet then says the number is missing); otherwise what a phone line looks like.
const PHONE = '^$|^[0-9+\\(\\)\\.\\- ]{4,30}$';

const IdentityProperties = {
  name: Type.String({ maxLength: UNIT_IDENTITY_MAX_LENGTH.name, description: 'As printed at the top of the discharge sheet' }),
  address: Type.String({ maxLength: UNIT_IDENTITY_MAX_LENGTH.address, description: 'Postal address, line breaks kept' }),
  dayPhone: Type.String({ maxLength: UNIT_IDENTITY_MAX_LENGTH.dayPhone, pattern: PHONE, description: 'The unit’s line during opening hours' }),
  nightPhone: Type.String({ maxLength: UNIT_IDENTITY_MAX_LENGTH.nightPhone, pattern: PHONE, description: 'Who answers at night and at weekends' }),
  referringRadiologist: Type.String({ maxLength: UNIT_IDENTITY_MAX_LENGTH.referringRadiologist, description: 'The radiologist patients are referred to' }),
} satisfies Record<UnitIdentityField, TSchema>;

/**
 * Who the patient calls after going home: the unit's name, address, day and night lines and the
 * referring radiologist. Stored in the database and edited by an admin, never written in code.
 */
export const UnitIdentitySchema = Type.Object(IdentityProperties, { additionalProperties: false });
export type UnitIdentity = Static<typeof UnitIdentitySchema>;

/** The identity as it stands, with who last saved it; `identity` is null until an admin first fills it. */
export const UnitIdentityRecordSchema = Type.Object({
  identity: Type.Union([UnitIdentitySchema, Type.Null()], { description: 'null until an admin first fills it' }),
  updatedAt: Type.Union([Instant, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()], { description: 'Username of the admin who saved it last' }),
});
export type UnitIdentityRecord = Static<typeof UnitIdentityRecordSchema>;

/** One save of the unit's identity, as the admin screen lists the trail. */
export const UnitIdentityChangeSchema = Type.Object({ seq: Type.Integer(), at: Instant, actor: Type.String(), ...IdentityProperties });
export type UnitIdentityChange = Static<typeof UnitIdentityChangeSchema>;
