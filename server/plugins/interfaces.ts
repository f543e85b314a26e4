import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { bookingDeps, type BookingDeps } from '../interfaces/bookings';
import { applyPending } from '../interfaces/inbox';
import { MllpListener } from '../interfaces/mllp/listener';
import { registerHl7Mapper } from '../interfaces/mllp/mapper';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the hospital's interfaces need to book through the command path (store, settings, live hub). */
    interfaces: BookingDeps;
    /** The HL7 MLLP listener, once the server is ready; null when HL7_MLLP_PORT is not set. */
    mllp: MllpListener | null;
  }
}

export default fp(
  async function interfaces(app: FastifyInstance) {
    app.decorate('mllp', null);
    const deps = bookingDeps(app);
    app.decorate('interfaces', deps);
    registerHl7Mapper();
    const hl7 = app.config.hl7;
    // A message acknowledged just before a crash is on disk, still `received`: it is applied before the
    // server takes anything new, so the day's list never lacks a booking the hospital was told is here.
    // On PostgreSQL any instance's start applies what another instance's crash left, once.
    app.addHook('onReady', async () => {
      const applied = await applyPending(deps);
      if (applied > 0) app.log.info({ applied }, 'interface messages left unapplied were applied');
      if (hl7.port === null) return;
      const listener = new MllpListener(deps, hl7, app.log);
      const address = await listener.start();
      app.mllp = listener;
      app.log.info({ host: address.address, port: address.port }, 'HL7 MLLP listener started');
    });
    // Before the database closes: the messages being handled finish and are answered.
    app.addHook('preClose', async () => {
      await app.mllp?.stop();
    });
  },
  { name: 'interfaces', dependencies: ['database', 'settings', 'live', 'config'] },
);
