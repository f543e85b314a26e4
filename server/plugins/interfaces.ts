import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { bookingDeps, type BookingDeps } from '../interfaces/bookings';
import { applyPending } from '../interfaces/inbox';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the hospital's interfaces need to book through the command path (database, settings, live hub). */
    interfaces: BookingDeps;
  }
}

export default fp(
  async function interfaces(app: FastifyInstance) {
    const deps = bookingDeps(app);
    app.decorate('interfaces', deps);
    // A message acknowledged just before a crash is on disk, still `received`: it is applied before the
    // server answers anyone, so the day's list never lacks a booking the hospital was told is here.
    app.addHook('onReady', async () => {
      const applied = await applyPending(deps);
      if (applied > 0) app.log.info({ applied }, 'interface messages left unapplied were applied');
    });
  },
  { name: 'interfaces', dependencies: ['database', 'settings', 'live', 'config'] },
);
