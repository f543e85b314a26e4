import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  INTERFACE_STATUSES,
  INTERFACE_WATCHERS,
  InterfaceMessageSchema,
  InterfaceMessagesAnswerSchema,
  InterfaceRawAnswerSchema,
  PATIENT_DATA_READERS,
  ruleText,
  type InterfaceMessage,
  type Lang,
  type RuleName,
} from '../../shared';
import { pickLanguage } from '../http/language';
import { Problem, problems } from '../http/problem';
import { applyStored, listMessages, type MessageSummary } from '../interfaces/inbox';
import { problemResponses } from './schemas';

const MessageParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'The message number' }) });

function said(lang: Lang, m: MessageSummary): InterfaceMessage {
  return {
    id: m.id,
    channel: m.channel,
    sender: m.sender,
    messageId: m.messageId,
    messageType: m.messageType,
    receivedAt: m.receivedAt,
    appliedAt: m.appliedAt,
    status: m.status,
    rule: m.rule,
    reason: m.rule ? ruleText(lang, m.rule as RuleName, m.params ?? {}) : null,
    caseId: m.caseId,
  };
}

/**
 * The Interfaces screen: the inbox's last messages with what became of each (in words), the text of one
 * message for those who may read patient data, and applying a refused message again once its cause
 * is fixed (a room renamed, a mapping set).
 */
const interfaceMessageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const message = (id: number) => app.store.inboxMessage(id);

  app.get(
    '/api/interfaces/messages',
    {
      preHandler: app.requireUser(INTERFACE_WATCHERS),
      schema: {
        summary: 'The last messages the hospital’s interfaces sent, newest first, with their status and why (no patient data)',
        tags: ['interfaces'],
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(INTERFACE_STATUSES)),
          limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'Messages, 1 to 500 (default 100)' })),
        }),
        response: { 200: InterfaceMessagesAnswerSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const lang = pickLanguage(request.headers['accept-language']);
      const { status, limit } = request.query;
      const messages = await listMessages(app.interfaces, { limit: Math.min(Number(limit ?? 100), 500), ...(status ? { status } : {}) });
      return { messages: messages.map((m) => said(lang, m)) };
    },
  );

  app.get(
    '/api/interfaces/messages/:id/raw',
    {
      // The text carries the patient's name, MRN and birth date.
      preHandler: app.requireUser(PATIENT_DATA_READERS),
      schema: {
        summary: 'One message as received (it names the patient: clinical staff and coordinators only)',
        tags: ['interfaces'],
        params: MessageParams,
        response: { 200: InterfaceRawAnswerSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const stored = await message(Number(request.params.id));
      if (!stored) throw problems.notFound({ key: 'problem.interface_message_not_found' });
      request.log.info({ by: request.user!.id, message: stored.id }, 'interface message read');
      return { id: stored.id, charset: stored.charset, raw: stored.raw };
    },
  );

  app.post(
    '/api/interfaces/messages/:id/apply',
    {
      preHandler: app.requireUser(INTERFACE_WATCHERS),
      schema: {
        summary: 'Apply a refused or rejected message again, once its cause is fixed; an applied message is never applied twice',
        tags: ['interfaces'],
        params: MessageParams,
        response: { 200: InterfaceMessageSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const lang = pickLanguage(request.headers['accept-language']);
      const id = Number(request.params.id);
      const before = await message(id);
      if (!before) throw problems.notFound({ key: 'problem.interface_message_not_found' });
      if (before.status !== 'refused' && before.status !== 'rejected')
        throw new Problem(409, 'conflict', { key: 'problem.interface_message_not_refused' });
      request.log.info({ by: request.user!.id, message: id }, 'interface message applied again');
      await applyStored(app.interfaces, id);
      return said(lang, (await message(id))!);
    },
  );
};

export default interfaceMessageRoutes;
