import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
// The enums come from the domain's own lists (one file each, not the shared index, so drizzle-kit
// loads no more than the schema needs): a new stage or role is declared once.
import { ACCOUNT_AUDIT_ACTIONS } from '../shared/domain/accounts';
import { ROOM_STATUSES } from '../shared/domain/context';
import { ROLES } from '../shared/domain/roles';
import { STAGES } from '../shared/domain/stages';
import { instant } from './columns';

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: instant('locked_until'),
  createdAt: instant('created_at').notNull(),
  /** Set when someone else chose the password (an admin, the CLI): the account may do nothing but change it. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
});

/**
 * Who created, disabled, enabled or reset which account, and when. Append-only: the code has an
 * insert path and a read path, nothing else. `actorId` is null for the users CLI (actor "cli").
 */
export const accountAudit = sqliteTable(
  'account_audit',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: instant('at').notNull(),
    actorId: text('actor_id'),
    actor: text('actor').notNull(),
    action: text('action', { enum: ACCOUNT_AUDIT_ACTIONS }).notNull(),
    targetId: text('target_id').notNull(),
    targetUsername: text('target_username').notNull(),
    details: text('details', { mode: 'json' }).notNull(),
  },
  (t) => [index('account_audit_target_idx').on(t.targetId, t.seq)],
);

/** Server-side sessions: the cookie carries a random token, the table only its SHA-256, so a leaked database opens no session. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    createdAt: instant('created_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('sessions_staff_idx').on(t.staffId)],
);

export const displayTokens = sqliteTable('display_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull(),
  lastSeenAt: instant('last_seen_at'),
  revokedAt: instant('revoked_at'),
});

export const patients = sqliteTable('patients', {
  id: text('id').primaryKey(),
  mrn: text('mrn').notNull().unique(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  birthDate: text('birth_date').notNull(),
  sex: text('sex'),
  createdAt: instant('created_at').notNull(),
});

export const rooms = sqliteTable('rooms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  status: text('status', { enum: ROOM_STATUSES }).notNull().default('free'),
  caseId: text('case_id'),
  statusSince: instant('status_since').notNull(),
});

/**
 * The read projection of a case: `state` is the folded CaseState, `version` the number of events in
 * its stream, `projectionVersion` the PROJECTION_VERSION it was folded under (0: before versions
 * existed). A start that finds another number refolds every case from the log.
 */
export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    day: text('day').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    stage: text('stage', { enum: STAGES }).notNull(),
    roomId: text('room_id'),
    version: integer('version').notNull(),
    state: text('state', { mode: 'json' }).notNull(),
    projectionVersion: integer('projection_version').notNull().default(0),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('cases_day_idx').on(t.day, t.scheduledAt),
    // A demographics update from the hospital finds the patient's cases without reading the year.
    index('cases_patient_idx').on(t.patientId),
  ],
);

/**
 * The append-only log. `seq` is the global order every live client follows; a case's events are
 * numbered by `version` within it. Room events (room_ready) carry a room id and no case.
 */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    caseId: text('case_id').references(() => cases.id),
    roomId: text('room_id'),
    version: integer('version'),
    type: text('type').notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role', { enum: ROLES }).notNull(),
    occurredAt: instant('occurred_at').notNull(),
    recordedAt: instant('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('events_case_version_uq').on(t.caseId, t.version),
    // Room turnover reads a room's own stream (room_ready) by time.
    index('events_room_idx').on(t.roomId, t.seq),
    // The day report's room releases by time: a partial index, so a day's report does not read the whole log.
    index('events_room_ready_idx').on(t.occurredAt).where(sql`type = 'RoomReady'`),
  ],
);

/** A replayed Idempotency-Key answers with what the first request got, even after a restart. */
export const idempotency = sqliteTable(
  'idempotency',
  {
    actorId: text('actor_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    createdAt: instant('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [primaryKey({ columns: [t.actorId, t.key] })],
);

/**
 * The unit's identity printed for patients (discharge sheet), one row per save by an admin. The
 * newest row is the identity in force; the rows before it are the trail of who changed what, when.
 * Append-only like the account audit: the code inserts and reads, nothing else.
 */
export const unitIdentity = sqliteTable('unit_identity', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: instant('at').notNull(),
  actorId: text('actor_id').notNull(),
  actor: text('actor').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  dayPhone: text('day_phone').notNull(),
  nightPhone: text('night_phone').notNull(),
  referringRadiologist: text('referring_radiologist').notNull(),
});

/**
 * Every single-use device a case recorded, one row each, rewritten from the case's projection in the
 * transaction that appends the event: a recall names a lot or a GTIN, and an index answers it
 * without reading a year of case states.
 */
export const caseDevices = sqliteTable(
  'case_devices',
  {
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    gtin: text('gtin'),
    lot: text('lot'),
    serial: text('serial'),
    expiry: text('expiry'),
    at: instant('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.position] }), index('case_devices_lot_idx').on(t.lot), index('case_devices_gtin_idx').on(t.gtin, t.lot)],
);

/**
 * The unit's imaging machines (the CT scanners and cone-beam CT arms of its rooms), one row per save
 * by an admin, newest in force; append-only like the unit identity. The dose of a guided act names one.
 */
export const unitEquipment = sqliteTable('unit_equipment', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: instant('at').notNull(),
  actorId: text('actor_id').notNull(),
  actor: text('actor').notNull(),
  machines: text('machines', { mode: 'json' }).notNull(),
});

/**
 * The hospital's numbers of a booking (HL7 SCH-1 placer / SCH-2 filler, a FHIR Appointment identifier),
 * one row each, written with the case it opened: a reschedule or a cancel sent later names the booking
 * by its number and finds the case through this index. A number booked again names the newest case.
 */
export const caseAppointments = sqliteTable(
  'case_appointments',
  {
    kind: text('kind', { enum: ['placer', 'filler'] }).notNull(),
    value: text('value').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index('case_appointments_case_idx').on(t.caseId)],
);

export const INTERFACE_CHANNELS = ['mllp', 'fhir', 'csv'] as const;
export const INTERFACE_MESSAGE_STATUSES = ['received', 'applied', 'duplicate', 'refused', 'rejected'] as const;

/**
 * The durable inbox of the hospital's interfaces. A message is written here, and committed, before it is
 * acknowledged; applying it is a second step that records its outcome on the same row (`refused`: a rule
 * of the day said no; `rejected`: it could not be read or is of no supported kind; `duplicate`: it
 * booked what was already booked). A message still `received` at start-up was acknowledged and not yet
 * applied (a crash between the two): it is applied then. A message sent again (same channel, sender and
 * message id) finds its row and is applied once.
 */
export const interfaceMessages = sqliteTable(
  'interface_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: INTERFACE_CHANNELS }).notNull(),
    /** HL7: MSH-3^MSH-4 (sending application^facility); FHIR: the interface account. */
    sender: text('sender').notNull(),
    messageId: text('message_id').notNull(),
    receivedAt: instant('received_at').notNull(),
    /** The message as decoded text, so it can be read and applied again. */
    raw: text('raw').notNull(),
    charset: text('charset').notNull(),
    messageType: text('message_type').notNull(),
    status: text('status', { enum: INTERFACE_MESSAGE_STATUSES }).notNull(),
    rule: text('rule'),
    params: text('params', { mode: 'json' }),
    caseId: text('case_id'),
    appliedAt: instant('applied_at'),
  },
  (t) => [
    uniqueIndex('interface_messages_sender_uq').on(t.channel, t.sender, t.messageId),
    index('interface_messages_status_idx').on(t.status, t.id),
  ],
);
