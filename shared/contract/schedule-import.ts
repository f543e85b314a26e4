import Type, { type Static } from 'typebox';

// A schedule file on the wire: the coordinator's file as text, and what each of its lines became.

/** Large enough for a few days of a busy unit, far below anything that could tie the server up. */
export const MAX_IMPORT_TEXT = 200_000;

export const ScheduleImportBodySchema = Type.Object(
  {
    csv: Type.String({ minLength: 1, maxLength: MAX_IMPORT_TEXT, description: 'The file as text (the screen decodes UTF-8 or Windows-1252)' }),
    mode: Type.Union([Type.Literal('preview'), Type.Literal('import')], { description: 'preview changes nothing; import schedules every valid line' }),
  },
  { additionalProperties: false },
);
export type ScheduleImportBody = Static<typeof ScheduleImportBodySchema>;

const ImportProblemSchema = Type.Object({
  code: Type.String({ description: 'The rule name, or the label of what is wrong with the line' }),
  text: Type.String({ description: 'The same in the request language' }),
});

export const ImportRowSchema = Type.Object({
  line: Type.Integer({ description: 'Line number in the file (1 is the header)' }),
  ok: Type.Boolean({ description: 'The line is (preview) or was (import) scheduled' }),
  lastName: Type.String(),
  firstName: Type.String(),
  mrn: Type.String(),
  date: Type.String({ description: 'As written in the file' }),
  time: Type.String(),
  room: Type.String(),
  targets: Type.Integer({ description: 'Planned targets read from the line' }),
  problems: Type.Array(ImportProblemSchema),
  caseId: Type.Optional(Type.String()),
});
export type ImportRow = Static<typeof ImportRowSchema>;

export const ScheduleImportAnswerSchema = Type.Object({
  mode: Type.Union([Type.Literal('preview'), Type.Literal('import')]),
  delimiter: Type.Union([Type.Literal(';'), Type.Literal(',')]),
  rows: Type.Array(ImportRowSchema),
  valid: Type.Integer({ description: 'Lines that can be (or were) scheduled' }),
  imported: Type.Integer({ description: 'Cases created by this call (0 in preview)' }),
});
export type ScheduleImportAnswer = Static<typeof ScheduleImportAnswerSchema>;
