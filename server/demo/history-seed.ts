import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { addDays, dayStart, type Actor, type CommandBody, type Settings } from '../../shared';
import type { Connection } from '../../db/connection';
import { staff } from '../../db/schema';
import { createStaff } from '../auth/staff';
import { executeCaseCommand, executeRoomReady, scheduleCase, type ExecuteContext } from '../cases/execute';
import { GroupCommit } from '../cases/group-commit';
import type { StoreTransaction } from '../../db/store';
import { Problem } from '../http/problem';
import type { BoardView } from '../live/messages';
import { syncRooms } from '../plugins/rooms';
import { currentEquipment, saveEquipment } from '../unit/equipment';
import { DEMO_EQUIPMENT } from './demo-day';
import { isWeekday, planDay, seededRandom, type HistoryAct, type PlannedCase } from './history';

export interface SeedOptions {
  /** Calendar days of history, ending with `lastDay`. */
  days: number;
  lastDay: string;
  perDay: number;
  seed: number;
  rooms: readonly string[];
  settings: Settings;
  labelMode: BoardView['labelMode'];
}

export interface SeedProgress {
  day: string;
  daysDone: number;
  cases: number;
  commands: number;
}

export interface SeedResult {
  cases: PlannedCase[];
  commands: number;
}

export const HISTORY_ROLES = ['nurse', 'radiologist', 'coordinator', 'admin'] as const;

/** A minute of `day` counted from that day's midnight in `timeZone`. */
export const wallClockInstant = (day: string, minute: number, timeZone: string): Date =>
  new Date(dayStart(day, timeZone) + minute * 60_000);

/** The unit's staff who act in the history: the first active account of each role, or a new one nobody can sign in to. */
async function historyStaff(connection: Connection): Promise<HistoryActors> {
  const actors = {} as HistoryActors;
  for (const role of HISTORY_ROLES) {
    let account = connection.db.select().from(staff).where(and(eq(staff.role, role), eq(staff.active, true))).limit(1).get();
    account ??= await createStaff(connection.db, { username: `history-${role}`, displayName: `History ${role}`, role, password: randomBytes(24).toString('base64url') }).then(
      (created) => connection.db.select().from(staff).where(eq(staff.id, created.id)).get(),
    );
    actors[role] = { id: account!.id, name: account!.displayName, role };
  }
  return actors;
}

const describe = (error: unknown) => (error instanceof Problem ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));

export type HistoryActors = Record<(typeof HISTORY_ROLES)[number], Actor>;

/** A store's day of commands: every act its own command, all committed together, each settled as the group commit settles it. */
export type DayOfWork = (works: ((tx: StoreTransaction) => Promise<void>)[]) => Promise<PromiseSettledResult<void>[]>;

/** Where a history is written: the SQLite file (seedHistory) or PostgreSQL (server/demo/pg-history.ts). */
export interface HistoryTarget {
  caseCount(): Promise<number>;
  /** The rooms, the staff who act and the equipment list, as they stand on the history's first day. */
  prepare(rooms: readonly string[], firstInstant: Date): Promise<HistoryActors>;
  roomIds(): Promise<string[]>;
  runDay: DayOfWork;
}

function sqliteTarget(connection: Connection): HistoryTarget {
  const group = new GroupCommit(connection.sqliteStore);
  return {
    caseCount: async () => connection.sqlite.prepare('select count(*) from cases').pluck().get() as number,
    async prepare(rooms, firstInstant) {
      syncRooms(connection.db, rooms, firstInstant.toISOString());
      const actors = await historyStaff(connection);
      if (currentEquipment(connection.db).machines.length === 0) saveEquipment(connection.db, DEMO_EQUIPMENT, { id: actors.admin.id, username: 'history' }, firstInstant);
      return actors;
    },
    roomIds: async () => (await connection.sqliteStore.rooms()).map((r) => r.id),
    runDay: (works) => Promise.allSettled(works.map((work) => group.run(work))),
  };
}

/**
 * Fills an empty SQLite database with `days` of history through the commands the screens send, one
 * group commit per day (one transaction, each command in its own savepoint), as a busy server would.
 * A command the rules refuse stops the seeding with its reason: the generator and the rules disagree.
 */
export function seedHistory(connection: Connection, options: SeedOptions, onDay?: (progress: SeedProgress) => void): Promise<SeedResult> {
  return seedHistoryInto(sqliteTarget(connection), options, onDay);
}

/** The same history, day after day, into any target: the same plan, the same commands, the same rules. */
export async function seedHistoryInto(target: HistoryTarget, options: SeedOptions, onDay?: (progress: SeedProgress) => void): Promise<SeedResult> {
  const existing = await target.caseCount();
  if (existing > 0) throw new Error(`the database already holds ${existing} cases: seed an empty one`);
  const first = addDays(options.lastDay, 1 - options.days);
  const actors = await target.prepare(options.rooms, wallClockInstant(first, 0, options.settings.timeZone));
  const roomIds = await target.roomIds();
  const random = seededRandom(options.seed);
  const agenda = new Map<string, HistoryAct[]>();
  const known = new Map<string, { id: string; version: number }>();
  const cases: PlannedCase[] = [];
  let commands = 0;
  const context = (tx: StoreTransaction, minute: number, day: string, actor: Actor): ExecuteContext => ({
    tx,
    settings: options.settings,
    labelMode: options.labelMode,
    actor,
    now: wallClockInstant(day, minute, options.settings.timeZone),
  });

  for (let i = 0; i < options.days; i++) {
    const day = addDays(first, i);
    if (isWeekday(day)) {
      const planned = planDay(day, i, { perDay: options.perDay, roomIds, lastDay: options.lastDay, random });
      cases.push(...planned.cases);
      for (const [onDay, acts] of planned.acts) agenda.set(onDay, [...(agenda.get(onDay) ?? []), ...acts]);
    }
    const acts = (agenda.get(day) ?? []).sort((a, b) => a.minute - b.minute);
    agenda.delete(day);
    const work = (act: HistoryAct) => async (tx: StoreTransaction) => {
      if (act.kind === 'schedule') {
        const created = (await scheduleCase(context(tx, act.minute, day, actors.coordinator), {
          ...act.body,
          scheduledAt: wallClockInstant(day, act.scheduledMinute, options.settings.timeZone).toISOString(),
        })).body as { case: { id: string; version: number } };
        known.set(act.caseKey, { id: created.case.id, version: created.case.version });
        return;
      }
      const { step } = act;
      if ('roomReady' in step) {
        await executeRoomReady(context(tx, act.minute, day, actors.nurse), step.roomReady);
        return;
      }
      const target = known.get(act.caseKey)!;
      const answer = (await executeCaseCommand(context(tx, act.minute, day, actors[step.by]), target.id, { ...step.command, expectedVersion: target.version } as CommandBody)).body as {
        case: { version: number };
      };
      target.version = answer.case.version;
    };
    const outcomes = await target.runDay(acts.map(work));
    const failed = outcomes.findIndex((o) => o.status === 'rejected');
    if (failed >= 0) {
      const act = acts[failed]!;
      const what = act.kind === 'schedule' ? 'schedule' : 'roomReady' in act.step ? 'room_ready' : act.step.command.type;
      throw new Error(`${day} ${act.caseKey} ${what} refused: ${describe((outcomes[failed] as PromiseRejectedResult).reason)}`);
    }
    commands += acts.length;
    onDay?.({ day, daysDone: i + 1, cases: cases.length, commands });
  }
  return { cases, commands };
}
