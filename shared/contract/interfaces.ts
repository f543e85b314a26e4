import Type, { type Static } from 'typebox';

// The interfaces' inbox on the wire (the Interfaces screen): what each message became, never whom it
// names; its text, which does, is a separate answer for those who may read patient data.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const INTERFACE_CHANNEL_NAMES = ['mllp', 'fhir', 'csv'] as const;
export const INTERFACE_STATUSES = ['received', 'applied', 'duplicate', 'refused', 'rejected'] as const;
export type InterfaceStatus = (typeof INTERFACE_STATUSES)[number];

export const InterfaceMessageSchema = Type.Object({
  id: Type.Integer(),
  channel: Type.Enum(INTERFACE_CHANNEL_NAMES),
  sender: Type.String({ description: 'HL7: sending application^facility; FHIR: the account that posted' }),
  messageId: Type.String(),
  messageType: Type.String({ description: 'SIU^S12, ADT^A08, Appointment, Bundle…' }),
  receivedAt: Type.String({ description: 'ISO 8601 instant' }),
  appliedAt: Nullable(Type.String()),
  status: Type.Enum(INTERFACE_STATUSES),
  rule: Nullable(Type.String({ description: 'The rule that refused it (refused, rejected)' })),
  reason: Nullable(Type.String({ description: 'The same in the request language' })),
  caseId: Nullable(Type.String()),
});
export type InterfaceMessage = Static<typeof InterfaceMessageSchema>;

export const InterfaceMessagesAnswerSchema = Type.Object({ messages: Type.Array(InterfaceMessageSchema) });
export type InterfaceMessagesAnswer = Static<typeof InterfaceMessagesAnswerSchema>;

export const InterfaceRawAnswerSchema = Type.Object({
  id: Type.Integer(),
  charset: Type.String({ description: 'As received (MSH-18, or utf-8 for FHIR and files)' }),
  raw: Type.String({ description: 'The message as received, decoded' }),
});
export type InterfaceRawAnswer = Static<typeof InterfaceRawAnswerSchema>;
