import type pg from 'pg';
import type { DB } from '../../db/connection';
import type { Equipment, EquipmentRecord, UnitIdentity, UnitIdentityChange, UnitIdentityRecord } from '../../shared';
import { currentEquipment, saveEquipment } from './equipment';
import { UNIT_IDENTITY_TRAIL_MAX, currentUnitIdentity, saveUnitIdentity, unitIdentityTrail } from './unit-identity';

type By = { id: string; username: string };

/**
 * The unit's identity (printed on the discharge sheet) and its imaging machines (offered by the dose form):
 * append-only lists whose newest row is in force, on SQLite or PostgreSQL.
 */
export interface UnitStore {
  identity(): Promise<UnitIdentityRecord>;
  saveIdentity(identity: UnitIdentity, by: By, now: Date): Promise<UnitIdentityRecord>;
  identityTrail(): Promise<UnitIdentityChange[]>;
  equipment(): Promise<EquipmentRecord>;
  saveEquipment(machines: Equipment[], by: By, now: Date): Promise<EquipmentRecord>;
}

export class SqliteUnitStore implements UnitStore {
  constructor(private readonly db: DB) {}
  async identity() {
    return currentUnitIdentity(this.db);
  }
  async saveIdentity(identity: UnitIdentity, by: By, now: Date) {
    return saveUnitIdentity(this.db, identity, by, now);
  }
  async identityTrail() {
    return unitIdentityTrail(this.db);
  }
  async equipment() {
    return currentEquipment(this.db);
  }
  async saveEquipment(machines: Equipment[], by: By, now: Date) {
    return saveEquipment(this.db, machines, by, now);
  }
}

const IDENTITY = `select seq, at, actor, name, address, day_phone as "dayPhone", night_phone as "nightPhone",
  referring_radiologist as "referringRadiologist" from unit_identity order by seq desc limit $1`;

export class PgUnitStore implements UnitStore {
  constructor(private readonly pool: pg.Pool) {}

  async identityTrail(): Promise<UnitIdentityChange[]> {
    return (await this.pool.query<UnitIdentityChange>(IDENTITY, [UNIT_IDENTITY_TRAIL_MAX])).rows;
  }
  async identity(): Promise<UnitIdentityRecord> {
    const row = (await this.pool.query<UnitIdentityChange>(IDENTITY, [1])).rows[0];
    if (!row) return { identity: null, updatedAt: null, updatedBy: null };
    const { name, address, dayPhone, nightPhone, referringRadiologist } = row;
    return { identity: { name, address, dayPhone, nightPhone, referringRadiologist }, updatedAt: row.at, updatedBy: row.actor };
  }
  async saveIdentity(identity: UnitIdentity, by: By, now: Date) {
    await this.pool.query(
      `insert into unit_identity (at, actor_id, actor, name, address, day_phone, night_phone, referring_radiologist)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [now.toISOString(), by.id, by.username, identity.name, identity.address, identity.dayPhone, identity.nightPhone, identity.referringRadiologist],
    );
    return this.identity();
  }
  async equipment(): Promise<EquipmentRecord> {
    const row = (await this.pool.query<{ machines: Equipment[]; at: string; actor: string }>('select machines, at, actor from unit_equipment order by seq desc limit 1')).rows[0];
    return row ? { machines: row.machines, updatedAt: row.at, updatedBy: row.actor } : { machines: [], updatedAt: null, updatedBy: null };
  }
  async saveEquipment(machines: Equipment[], by: By, now: Date) {
    await this.pool.query('insert into unit_equipment (at, actor_id, actor, machines) values ($1, $2, $3, $4::jsonb)', [now.toISOString(), by.id, by.username, JSON.stringify(machines)]);
    return this.equipment();
  }
}
