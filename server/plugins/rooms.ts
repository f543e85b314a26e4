import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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

/**
 * Makes the rooms table match ROOMS (names in board order). Rooms are added or renamed, never
 * deleted: a removed name keeps its history and simply sorts last.
 */
export default fp(
  async function roomsPlugin(app: FastifyInstance) {
    syncRooms(app.database.db, app.config.rooms, new Date().toISOString());
  },
  { name: 'rooms', dependencies: ['database'] },
);
