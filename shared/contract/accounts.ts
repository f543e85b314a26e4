import Type, { type Static } from 'typebox';
import { ACCOUNT_AUDIT_ACTIONS, CLI_ACTOR, USERNAME_PATTERN } from '../domain/accounts';
import { ROLES } from '../domain/roles';

// Staff accounts and wall-screen tokens as the admin API answers them: the server's store returns
// these, the admin screens read them, and the routes serialise them with these schemas.

const Instant = Type.String({ format: 'date-time' });

export const RoleSchema = Type.Enum(ROLES);

/** What /api/auth/me and sign-in answer: the actor, and whether it still holds a one-time password. */
export const SignedInUserSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  mustChangePassword: Type.Boolean({ description: 'A one-time password: only /api/auth/me, /api/auth/password and sign-out answer until it is changed' }),
});
export type SignedInUser = Static<typeof SignedInUserSchema>;

/** What an admin sees of an account: never the hash. */
export const StaffAccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  createdAt: Instant,
  lockedUntil: Type.Union([Instant, Type.Null()], { description: 'Set while sign-in is locked after repeated failures' }),
  mustChangePassword: Type.Boolean({ description: 'Holds a one-time password: the account can do nothing but change it' }),
});
export type StaffAccount = Static<typeof StaffAccountSchema>;

/** Only the answer to a creation or a reset holds the one-time password: the server keeps its hash. */
export const WithOneTimePasswordSchema = Type.Object({
  ...StaffAccountSchema.properties,
  oneTimePassword: Type.String({
    description: 'Shown this once, stored only hashed; it opens nothing but the password change, so the admin never knows the working password',
  }),
});
export type WithOneTimePassword = Static<typeof WithOneTimePasswordSchema>;

export const AccountAuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Instant,
  actorId: Type.Union([Type.String(), Type.Null()], { description: 'null for the users CLI' }),
  actor: Type.String({ description: `The admin's username, the account itself, or "${CLI_ACTOR}"` }),
  action: Type.Enum(ACCOUNT_AUDIT_ACTIONS),
  targetId: Type.String(),
  targetUsername: Type.String(),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
});
/** One line of the append-only account audit, as the admin screen and the CLI show it. */
export type AccountAuditEntry = Static<typeof AccountAuditEntrySchema>;

export const AuditPageSchema = Type.Object({
  entries: Type.Array(AccountAuditEntrySchema),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next (older) page; null on the last one' }),
});
export type AuditPage = Static<typeof AuditPageSchema>;

export const DisplayTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Instant,
  lastSeenAt: Type.Union([Instant, Type.Null()], { description: 'Last time a board connected with it' }),
  revokedAt: Type.Union([Instant, Type.Null()]),
});
export type DisplayToken = Static<typeof DisplayTokenSchema>;

/** Only the answer to a creation holds the clear token: the server keeps its digest. */
export const NewDisplayTokenSchema = Type.Object({
  ...DisplayTokenSchema.properties,
  token: Type.String({ description: 'Shown once: only its digest is stored' }),
  boardUrl: Type.String({ description: 'Path to open on the wall screen: /board?token=…' }),
});
export type NewDisplayToken = Static<typeof NewDisplayTokenSchema>;

/** What an admin types to create an account. */
export const NewStaffSchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: 'Letters, digits, dot, dash, underscore; stored in lower case' }),
    displayName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    role: RoleSchema,
  },
  { additionalProperties: false },
);
export type NewStaff = Static<typeof NewStaffSchema>;
