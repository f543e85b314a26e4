import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../db/pg/schema';
import * as sqliteSchema from '../../db/schema';

// Both stores hold the same facts: a table or a column added to one schema and not to the other
// fails here, before any migration is generated.
type Shape = Record<string, { columns: Record<string, { notNull: boolean; primary: boolean }>; indexes: string[] }>;

function sqliteShape(): Shape {
  const tables = (Object.values(sqliteSchema) as unknown[]).filter((t): t is SQLiteTable => t instanceof SQLiteTable);
  return Object.fromEntries(
    tables.map((t) => {
      const c = sqliteTableConfig(t);
      const compositeKey = c.primaryKeys.flatMap((k) => k.columns.map((col) => col.name));
      return [
        c.name,
        {
          columns: Object.fromEntries(c.columns.map((col) => [col.name, { notNull: col.notNull, primary: col.primary || compositeKey.includes(col.name) }])),
          indexes: [...c.indexes.map((i) => i.config.name), ...c.columns.filter((col) => col.isUnique).map((col) => `${c.name}_${col.name}_unique`)].sort(),
        },
      ];
    }),
  );
}

function pgShape(): Shape {
  const tables = (Object.values(pgSchema) as unknown[]).filter((t): t is PgTable => t instanceof PgTable);
  return Object.fromEntries(
    tables.map((t) => {
      const c = pgTableConfig(t);
      const compositeKey = c.primaryKeys.flatMap((k) => k.columns.map((col) => col.name));
      return [
        c.name,
        {
          columns: Object.fromEntries(c.columns.map((col) => [col.name, { notNull: col.notNull, primary: col.primary || compositeKey.includes(col.name) }])),
          indexes: [...c.indexes.map((i) => i.config.name!), ...c.columns.filter((col) => col.isUnique).map((col) => `${c.name}_${col.name}_unique`)].sort(),
        },
      ];
    }),
  );
}

describe('the PostgreSQL schema mirrors the SQLite one', () => {
  it('names the same tables', () => {
    expect(Object.keys(sqliteShape())).toContain('events');
    expect(Object.keys(pgShape()).sort()).toEqual(Object.keys(sqliteShape()).sort());
  });

  it('gives each table the same columns, nullability, keys and indexes', () => {
    const sqlite = sqliteShape();
    const pg = pgShape();
    for (const table of Object.keys(sqlite)) expect({ table, ...pg[table] }).toEqual({ table, ...sqlite[table] });
  });
});
