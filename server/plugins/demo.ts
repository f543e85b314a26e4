import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { staff } from '../../db/schema';
import { loadDemoDay } from '../demo/demo-day';

/**
 * CRYODAY_DEMO=1 on an empty database: demo accounts (password "demo") and a demo day. Said loudly
 * at every start, because a demo password must never go unnoticed on a real unit.
 */
export default fp(
  async function demo(app: FastifyInstance) {
    if (!app.config.demo) return;
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
