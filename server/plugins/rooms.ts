import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { DB } from '../../db/connection';
import { rooms } from '../../db/schema';

/** Rooms `room-1`, `room-2`… named in board order; an existing one is renamed, never deleted. */
export function syncRooms(db: DB, names: readonly string[], now: string) {
  names.forEach((name, index) => {
    const id = `room-${index + 1}`;
    const existing = db.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, id)).get();
    if (existing) db.update(rooms).set({ name, sortOrder: index }).where(eq(rooms.id, id)).run();
    else db.insert(rooms).values({ id, name, sortOrder: index, status: 'free', caseId: null, statusSince: now }).run();
  });
}

/** The same on PostgreSQL, in one statement: instances starting together add each room once. */
export async function syncPgRooms(pool: pg.Pool, names: readonly string[], now: string) {
  await pool.query(
    `insert into rooms (id, name, sort_order, status, case_id, status_since)
     select 'room-' || n, name, n - 1, 'free', null, $2 from unnest($1::text[]) with ordinality as r(name, n)
     on conflict (id) do update set name = excluded.name, sort_order = excluded.sort_order`,
    [names, now],
  );
}

/**
 * Makes the rooms table match ROOMS (names in board order). Rooms are added or renamed, never
 * deleted: a removed name keeps its history and simply sorts last.
 */
export default fp(
  async function roomsPlugin(app: FastifyInstance) {
    const now = new Date().toISOString();
    if (app.postgres) await syncPgRooms(app.postgres.pool, app.config.rooms, now);
    else syncRooms(app.database.db, app.config.rooms, now);
  },
  { name: 'rooms', dependencies: ['database'] },
);
