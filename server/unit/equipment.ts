import { desc } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { unitEquipment } from '../../db/schema';
import type { Equipment, EquipmentRecord } from '../../shared';

/** The newest save is the list in force; none yet means no machine is listed (the dose then keeps what was typed). */
export function currentEquipment(db: DB): EquipmentRecord {
  const row = db.select().from(unitEquipment).orderBy(desc(unitEquipment.seq)).limit(1).get();
  if (!row) return { machines: [], updatedAt: null, updatedBy: null };
  return { machines: row.machines as Equipment[], updatedAt: row.at, updatedBy: row.actor };
}

/** The only write path: a new row (the database refuses updates and deletes by trigger). */
export function saveEquipment(db: DB, machines: Equipment[], by: { id: string; username: string }, now: Date): EquipmentRecord {
  db.insert(unitEquipment).values({ at: now.toISOString(), actorId: by.id, actor: by.username, machines }).run();
  return currentEquipment(db);
}
