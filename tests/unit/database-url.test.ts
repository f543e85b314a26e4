import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('DATABASE_URL', () => {
  it('given none, then the app runs on the SQLite file at DATABASE_PATH', () => {
    expect(loadConfig({ DATABASE_PATH: '/data/unit.sqlite' })).toMatchObject({ databaseUrl: null, databasePath: '/data/unit.sqlite' });
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeNull();
  });

  it('given a PostgreSQL URL, libpq forms included, then the app runs on it', () => {
    for (const url of ['postgres://cryoday:secret@db:5432/cryoday', 'postgresql://db/cryoday?sslmode=require', 'postgres://postgres@/cryoday?host=%2Ftmp%2Fpg&port=5433']) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('given another scheme or no database name, then the start is refused with the reason', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/cryoday' })).toThrow(/must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'db:5432/cryoday' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db:5432/' })).toThrow(/must name a database/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db:5432' })).toThrow(/must name a database/);
  });

  it('given CRYODAY_DEMO with DATABASE_URL, then the demo is on PostgreSQL too', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/cryoday', CRYODAY_DEMO: '1' })).toMatchObject({ databaseUrl: 'postgres://db/cryoday', demo: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/cryoday', CRYODAY_DEMO: '0' }).demo).toBe(false);
  });

  it('given the HL7 MLLP listener, when DATABASE_URL is set too, then both are taken (the inbox is in the store)', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/cryoday', HL7_MLLP_PORT: '2575' });
    expect(config.databaseUrl).toBe('postgres://db/cryoday');
    expect(config.hl7.port).toBe(2575);
  });
});
