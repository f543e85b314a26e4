import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { staff } from '../../db/schema';
import { verifyPassword } from '../auth/passwords';
import { setStaffActive } from '../auth/staff';
import { DEMO_PASSWORD, DEMO_USERNAMES, loadDemoDay } from '../demo/demo-day';

/**
 * Active demo accounts (by their demo username) still signing in with the demo password. Only those
 * usernames are checked: a real account is never tried against "demo".
 */
async function accountsWithDemoPassword(app: FastifyInstance) {
  const candidates = app.database.db
    .select({ id: staff.id, username: staff.username, passwordHash: staff.passwordHash })
    .from(staff)
    .where(and(inArray(staff.username, [...DEMO_USERNAMES]), eq(staff.active, true)))
    .all();
  // At most four hashes, side by side on the thread pool: one hash's time added to the start.
  const still = await Promise.all(candidates.map((account) => verifyPassword(DEMO_PASSWORD, account.passwordHash)));
  return candidates.filter((_, i) => still[i]).map(({ id, username }) => ({ id, username }));
}

/**
 * CRYODAY_DEMO=1 on an empty database: demo accounts (password "demo") and a demo day. Said loudly
 * at every start, because a demo password must never go unnoticed on a real unit.
 * Without CRYODAY_DEMO no default password exists: a database first started in demo mode keeps its
 * demo accounts, so every start without the flag disables those still using "demo", and says so.
 */
export default fp(
  async function demo(app: FastifyInstance) {
    // The demo day loads into SQLite only (config refuses CRYODAY_DEMO with DATABASE_URL), so a
    // database on PostgreSQL never held a demo account.
    if (app.postgres) return;
    if (!app.config.demo) {
      const leftovers = await accountsWithDemoPassword(app);
      if (leftovers.length === 0) return;
      for (const account of leftovers) setStaffActive(app.database.db, account.id, false);
      const names = leftovers.map((a) => a.username).join(', ');
      app.log.warn(
        { disabledAccounts: leftovers.map((a) => a.username) },
        `DEMO ACCOUNTS DISABLED: ${names} still had the demo password "demo" and CRYODAY_DEMO is not set. ` +
          'To use one again, give it a real password, then enable it: npm run users -- reset-password <username>, ' +
          'then npm run users -- enable <username> (or an admin does both in the admin screen).',
      );
      return;
    }
    const empty = app.database.db.select({ id: staff.id }).from(staff).limit(1).all().length === 0;
    if (empty) {
      await loadDemoDay(app.database, { settings: app.settings, labelMode: app.config.boardLabel });
      app.log.warn('DEMO MODE: loaded a demo day and the demo accounts nurse, radiologist, coordinator, admin (password "demo")');
    } else {
      app.log.warn('DEMO MODE (CRYODAY_DEMO=1): the database already has accounts; the demo accounts, if present, use the password "demo"');
    }
  },
  { name: 'demo', dependencies: ['database', 'settings', 'rooms'] },
);
