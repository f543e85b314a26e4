import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
// The same tables and columns as ../schema.ts (SQLite), column for column, which
// tests/postgres/schema-parity.test.ts checks; the enums come from the same domain lists.
import { ACCOUNT_AUDIT_ACTIONS } from '../../shared/domain/accounts';
import { ROOM_STATUSES } from '../../shared/domain/context';
import { ROLES } from '../../shared/domain/roles';
import { STAGES } from '../../shared/domain/stages';
import { INTERFACE_CHANNELS, INTERFACE_MESSAGE_STATUSES } from '../schema';
import { instant } from './columns';

// Global positions are bigint (read back as numbers by db/pg/connection.ts): a group of units
// writes for decades into one log.
const position = (name: string) => bigint(name, { mode: 'number' });

export const staff = pgTable('staff', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: instant('locked_until'),
  createdAt: instant('created_at').notNull(),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
});

export const accountAudit = pgTable(
  'account_audit',
  {
    seq: position('seq').primaryKey().generatedByDefaultAsIdentity(),
    at: instant('at').notNull(),
    actorId: text('actor_id'),
    actor: text('actor').notNull(),
    action: text('action', { enum: ACCOUNT_AUDIT_ACTIONS }).notNull(),
    targetId: text('target_id').notNull(),
    targetUsername: text('target_username').notNull(),
    details: jsonb('details').notNull(),
  },
  (t) => [index('account_audit_target_idx').on(t.targetId, t.seq)],
);

export const sessions = pgTable(
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

export const displayTokens = pgTable('display_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull(),
  lastSeenAt: instant('last_seen_at'),
  revokedAt: instant('revoked_at'),
});

export const patients = pgTable('patients', {
  id: text('id').primaryKey(),
  mrn: text('mrn').notNull().unique(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  birthDate: text('birth_date').notNull(),
  sex: text('sex'),
  createdAt: instant('created_at').notNull(),
});

export const rooms = pgTable('rooms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  status: text('status', { enum: ROOM_STATUSES }).notNull().default('free'),
  caseId: text('case_id'),
  statusSince: instant('status_since').notNull(),
});

export const cases = pgTable(
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
    state: jsonb('state').notNull(),
    projectionVersion: integer('projection_version').notNull().default(0),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('cases_day_idx').on(t.day, t.scheduledAt), index('cases_patient_idx').on(t.patientId)],
);

/**
 * The append-only log. `seq` has no default: a trigger (migration events_seq_and_append_only) takes
 * the next one from the log's head row, whose lock the writing transaction holds to its commit, so
 * no insert, from the store or from anywhere else, commits a seq out of order (docs/architecture.md,
 * "PostgreSQL: one gap-free seq"). The head row is that migration's alone: SQLite needs none.
 */
export const events = pgTable(
  'events',
  {
    seq: position('seq').primaryKey(),
    caseId: text('case_id').references(() => cases.id),
    roomId: text('room_id'),
    version: integer('version'),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role', { enum: ROLES }).notNull(),
    occurredAt: instant('occurred_at').notNull(),
    recordedAt: instant('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('events_case_version_uq').on(t.caseId, t.version),
    index('events_room_idx').on(t.roomId, t.seq),
    index('events_room_ready_idx').on(t.occurredAt).where(sql`type = 'RoomReady'`),
  ],
);

export const idempotency = pgTable(
  'idempotency',
  {
    actorId: text('actor_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    body: jsonb('body').notNull(),
    createdAt: instant('created_at')
      .notNull()
      .default(sql`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
  },
  (t) => [primaryKey({ columns: [t.actorId, t.key] })],
);

export const unitIdentity = pgTable('unit_identity', {
  seq: position('seq').primaryKey().generatedByDefaultAsIdentity(),
  at: instant('at').notNull(),
  actorId: text('actor_id').notNull(),
  actor: text('actor').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  dayPhone: text('day_phone').notNull(),
  nightPhone: text('night_phone').notNull(),
  referringRadiologist: text('referring_radiologist').notNull(),
});

export const caseDevices = pgTable(
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

export const unitEquipment = pgTable('unit_equipment', {
  seq: position('seq').primaryKey().generatedByDefaultAsIdentity(),
  at: instant('at').notNull(),
  actorId: text('actor_id').notNull(),
  actor: text('actor').notNull(),
  machines: jsonb('machines').notNull(),
});

export const caseAppointments = pgTable(
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

export const interfaceMessages = pgTable(
  'interface_messages',
  {
    id: position('id').primaryKey().generatedByDefaultAsIdentity(),
    channel: text('channel', { enum: INTERFACE_CHANNELS }).notNull(),
    sender: text('sender').notNull(),
    messageId: text('message_id').notNull(),
    receivedAt: instant('received_at').notNull(),
    raw: text('raw').notNull(),
    charset: text('charset').notNull(),
    messageType: text('message_type').notNull(),
    status: text('status', { enum: INTERFACE_MESSAGE_STATUSES }).notNull(),
    rule: text('rule'),
    params: jsonb('params'),
    caseId: text('case_id'),
    appliedAt: instant('applied_at'),
  },
  (t) => [
    uniqueIndex('interface_messages_sender_uq').on(t.channel, t.sender, t.messageId),
    index('interface_messages_status_idx').on(t.status, t.id),
  ],
);
