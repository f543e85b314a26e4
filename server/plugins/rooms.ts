import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { rooms } from '../../db/schema';

/**
 * Makes the rooms table match ROOMS (names in board order). Rooms are added or renamed, never
 * deleted: a removed name keeps its history and simply sorts last.
 */
export default fp(
  async function roomsPlugin(app: FastifyInstance) {
    const { db } = app.database;
    const now = new Date().toISOString();
    app.config.rooms.forEach((name, index) => {
      const id = `room-${index + 1}`;
      const existing = db.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, id)).get();
      if (existing) db.update(rooms).set({ name, sortOrder: index }).where(eq(rooms.id, id)).run();
      else db.insert(rooms).values({ id, name, sortOrder: index, status: 'free', caseId: null, statusSince: now }).run();
    });
  },
  { name: 'rooms', dependencies: ['database'] },
);
