import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(
  async function live(app: FastifyInstance) {
    await app.register(websocket, { options: { maxPayload: 4096 } });
    app.get('/api/live', { websocket: true }, (socket) => {
      const row = app.database.sqlite.prepare('select coalesce(max(seq), 0) as seq from events').get() as { seq: number };
      socket.send(JSON.stringify({ type: 'snapshot', seq: row.seq, cases: [] }));
    });
  },
  { name: 'live', dependencies: ['database'] },
);
