import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { RoomAnswerSchema, RoomListSchema, canSend } from '../../shared';
import { executeRoomReady } from '../cases/execute';
import { problems } from '../http/problem';
import { idempotencyHeaders, problemResponses } from './schemas';

const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Open to every signed-in role, admins included: a room's state names a case by its id, never a patient.
  app.get(
    '/api/rooms',
    { preHandler: app.requireUser(), schema: { summary: 'Rooms with their state (free, occupied, cleaning)', tags: ['rooms'], response: { 200: RoomListSchema, ...problemResponses(401) } } },
    async () => ({ rooms: await app.store.rooms() }),
  );

  app.post(
    '/api/rooms/:id/commands',
    {
      preHandler: app.requireUser(),
      schema: {
        summary: 'Release a cleaned room: {"type":"room_ready"} (nurse)',
        tags: ['rooms'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        headers: idempotencyHeaders,
        body: Type.Object({ type: Type.Literal('room_ready') }, { additionalProperties: false }),
        response: { 200: RoomAnswerSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      if (!canSend(request.user!.role, 'room_ready')) throw problems.forbidden();
      const roomId = request.params.id;
      return app.runCommand(request, reply, (context) => executeRoomReady(context, roomId));
    },
  );
};

export default roomRoutes;
