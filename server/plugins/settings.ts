import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_SETTINGS, type Settings } from '../../shared';

declare module 'fastify' {
  interface FastifyInstance {
    /** The unit's tunable numbers, handed to every shared rule so server and screens compute alike. */
    settings: Settings;
  }
}

export default fp(
  async function settings(app: FastifyInstance) {
    app.decorate('settings', {
      ...DEFAULT_SETTINGS,
      observationMinutes: app.config.observationMinutes,
      sedatedObservationMinutes: app.config.sedatedObservationMinutes,
      cyclesPerTarget: app.config.cyclesPerTarget,
      roomCleaningAlertMinutes: app.config.roomCleaningAlertMinutes,
      sedationVitalsMinutes: app.config.sedationVitalsMinutes,
      timeZone: app.config.timezone,
    });
  },
  { name: 'settings', dependencies: ['config'] },
);
