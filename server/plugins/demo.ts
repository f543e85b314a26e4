import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { verifyPassword } from '../auth/passwords';
import { DEMO_PASSWORD, DEMO_USERNAMES, loadDemoDay } from '../demo/demo-day';

// Held on PostgreSQL while an instance looks for accounts and loads the demo day: instances started
// together on one empty database load it once (the others then find its accounts).
const DEMO_LOCK = [1128423503, 2] as const;

/**
 * Active demo accounts (by their demo username) still signing in with the demo password. Only those
 * usernames are checked: a real account is never tried against "demo".
 */
async function accountsWithDemoPassword(app: FastifyInstance) {
  const found = await Promise.all(DEMO_USERNAMES.map((username) => app.accounts.accountOf(username)));
  const candidates = found.filter((account) => account !== null && account.active).sort((a, b) => a!.username.localeCompare(b!.username)) as NonNullable<(typeof found)[number]>[];
  // At most four hashes, side by side on the thread pool: one hash's time added to the start.
  const still = await Promise.all(candidates.map((account) => verifyPassword(DEMO_PASSWORD, account.passwordHash)));
  return candidates.filter((_, i) => still[i]).map(({ id, username }) => ({ id, username }));
}

/** Runs `work` while no other instance on the same PostgreSQL database runs its own; on SQLite, one process owns the file. */
async function alone<T>(app: FastifyInstance, work: () => Promise<T>): Promise<T> {
  if (!app.postgres) return work();
  const client = await app.postgres.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1, $2)', [...DEMO_LOCK]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', [...DEMO_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * CRYODAY_DEMO=1 on an empty database: demo accounts (password "demo") and a demo day. Said loudly
 * at every start, because a demo password must never go unnoticed on a real unit.
 * Without CRYODAY_DEMO no default password exists: a database first started in demo mode keeps its
 * demo accounts, so every start without the flag disables those still using "demo", and says so.
 * Both go through the app's stores, so they behave the same on SQLite and on PostgreSQL.
 */
export default fp(
  async function demo(app: FastifyInstance) {
    if (!app.config.demo) {
      const leftovers = await accountsWithDemoPassword(app);
      if (leftovers.length === 0) return;
      for (const account of leftovers) await app.accounts.setStaffActive(account.id, false);
      const names = leftovers.map((a) => a.username).join(', ');
      app.log.warn(
        { disabledAccounts: leftovers.map((a) => a.username) },
        `DEMO ACCOUNTS DISABLED: ${names} still had the demo password "demo" and CRYODAY_DEMO is not set. ` +
          'To use one again, give it a real password, then enable it: npm run users -- reset-password <username>, ' +
          'then npm run users -- enable <username> (or an admin does both in the admin screen).',
      );
      return;
    }
    const loaded = await alone(app, async () => {
      if ((await app.accounts.listStaff()).length > 0) return false;
      await loadDemoDay(app, { settings: app.settings, labelMode: app.config.boardLabel });
      return true;
    });
    if (loaded) app.log.warn('DEMO MODE: loaded a demo day and the demo accounts nurse, radiologist, coordinator, admin (password "demo")');
    else app.log.warn('DEMO MODE (CRYODAY_DEMO=1): the database already has accounts; the demo accounts, if present, use the password "demo"');
  },
  { name: 'demo', dependencies: ['database', 'settings', 'rooms'] },
);
