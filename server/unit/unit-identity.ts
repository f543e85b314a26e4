import { desc } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { unitIdentity } from '../../db/schema';
import type { UnitIdentity, UnitIdentityChange, UnitIdentityRecord } from '../../shared';

const identityOf = (row: UnitIdentity): UnitIdentity => ({
  name: row.name,
  address: row.address,
  dayPhone: row.dayPhone,
  nightPhone: row.nightPhone,
  referringRadiologist: row.referringRadiologist,
});

/** The newest save is the identity in force; none yet means an admin has still to fill it. */
export function currentUnitIdentity(db: DB): UnitIdentityRecord {
  const row = db.select().from(unitIdentity).orderBy(desc(unitIdentity.seq)).limit(1).get();
  if (!row) return { identity: null, updatedAt: null, updatedBy: null };
  return { identity: identityOf(row), updatedAt: row.at, updatedBy: row.actor };
}

/** The only write path: a new row (the database refuses updates and deletes by trigger). */
export function saveUnitIdentity(db: DB, identity: UnitIdentity, by: { id: string; username: string }, now: Date): UnitIdentityRecord {
  db.insert(unitIdentity)
    .values({ at: now.toISOString(), actorId: by.id, actor: by.username, ...identityOf(identity) })
    .run();
  return currentUnitIdentity(db);
}

export const UNIT_IDENTITY_TRAIL_MAX = 50;

/** The latest saves, newest first: who changed the unit's identity, when, to what. */
export function unitIdentityTrail(db: DB): UnitIdentityChange[] {
  return db
    .select()
    .from(unitIdentity)
    .orderBy(desc(unitIdentity.seq))
    .limit(UNIT_IDENTITY_TRAIL_MAX)
    .all()
    .map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, ...identityOf(r) }));
}
