import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, login } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

const PASSWORD = 'bonjour-la-salle-2';
const IDENTITY = {
  name: 'Radiologie interventionnelle — hôpital de jour',
  address: '40 rue Worth\n92150 Suresnes',
  dayPhone: '01 46 25 20 00',
  nightPhone: '01 46 25 21 21',
  referringRadiologist: 'Dr Laurent Roche',
};

// The unit's identity lives in the database, written by an admin only, read by every staff member,
// and each save stays in its trail.
describe('unit identity settings over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let nurse: string;
  let coordinator: string;
  beforeAll(async () => {
    server = await startServer();
    const accounts = server.app.accounts;
    await accounts.createStaff({ username: 'root', displayName: 'Admin', role: 'admin', password: PASSWORD });
    await accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
    await accounts.createStaff({ username: 'julie', displayName: 'Julie Caron', role: 'coordinator', password: PASSWORD });
    [admin, nurse, coordinator] = await Promise.all([login(server, 'root', PASSWORD), login(server, 'ines', PASSWORD), login(server, 'julie', PASSWORD)]);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('is empty until an admin fills it: nothing from code', async () => {
    const res = await http(server, 'GET', '/api/unit', { cookie: nurse });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ identity: null, updatedAt: null, updatedBy: null });
    expect((await http(server, 'GET', '/api/unit')).status).toBe(401);
  });

  it('given a nurse and a coordinator, when they try to write it, then 403 and nothing changes; when the admin writes it, then they read it', async () => {
    for (const cookie of [nurse, coordinator]) {
      const refused = await http(server, 'PUT', '/api/admin/unit', { cookie, body: IDENTITY });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
    expect((await http(server, 'GET', '/api/unit', { cookie: nurse })).body.identity).toBeNull();

    const saved = await http(server, 'PUT', '/api/admin/unit', { cookie: admin, body: { ...IDENTITY, name: `  ${IDENTITY.name} ` } });
    expect(saved.status).toBe(200);
    expect(saved.body.identity).toEqual(IDENTITY);
    expect(saved.body.updatedBy).toBe('root');
    for (const cookie of [nurse, coordinator]) {
      const read = await http(server, 'GET', '/api/unit', { cookie });
      expect(read.body.identity).toEqual(IDENTITY);
    }
  });

  it('refuses a malformed phone, a missing field or an unknown one in French, as problem+json, and keeps what was there', async () => {
    const before = (await http(server, 'GET', '/api/unit', { cookie: admin })).body;
    const bad = [
      { ...IDENTITY, dayPhone: 'appelez le standard' },
      { ...IDENTITY, nightPhone: '12' },
      { name: 'Sans le reste' },
      { ...IDENTITY, logo: 'x' },
      { ...IDENTITY, address: 'x'.repeat(301) },
    ];
    for (const body of bad) {
      const res = await http(server, 'PUT', '/api/admin/unit', { cookie: admin, body, headers: { 'accept-language': 'fr' } });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.title).toBe('Données invalides');
    }
    expect((await http(server, 'GET', '/api/unit', { cookie: admin })).body).toEqual(before);
  });

  it('keeps every save in an append-only trail, newest first, with who made it', async () => {
    await http(server, 'PUT', '/api/admin/unit', { cookie: admin, body: { ...IDENTITY, nightPhone: '' } });
    const trail = await http(server, 'GET', '/api/admin/unit/history', { cookie: admin });
    expect(trail.status).toBe(200);
    expect(trail.body.changes.map((c: { nightPhone: string; actor: string }) => [c.nightPhone, c.actor])).toEqual([
      ['', 'root'],
      [IDENTITY.nightPhone, 'root'],
    ]);
    expect((await http(server, 'GET', '/api/admin/unit/history', { cookie: nurse })).status).toBe(403);
    await expect(sql(server, 'DELETE FROM unit_identity')).rejects.toThrow(/append-only/);
    await expect(sql(server, "UPDATE unit_identity SET name = 'x'")).rejects.toThrow(/append-only/);
  });
});
