import { Compile } from 'typebox/compile';
import {
  FIELD_NAMES,
  createCase,
  fieldParam,
  readScheduleFile,
  scheduleCaseBody,
  translate,
  type ImportRow,
  type Lang,
  type LabelKey,
  type Message,
  type ScheduleImportAnswer,
  type ScheduleImportBody,
} from '../../shared';
import type { PatientIdentity } from '../../shared/domain/create-case';
import { scheduleCase, type CommandResult, type ExecuteContext } from '../cases/execute';
import { Problem } from '../http/problem';
import type { Publication } from '../live/hub';

const bodyChecker = Compile(scheduleCaseBody);

/** The API's own schema, said as the field it names: the file is judged exactly as a typed booking is. */
function schemaProblems(body: unknown): Message[] {
  const fields = new Set<string>();
  for (const error of bodyChecker.Errors(body)) {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
    const named = error.instancePath.split('/').filter((s) => s && !/^\d+$/.test(s)).pop();
    for (const name of missing.length > 0 ? missing : [named ?? '']) fields.add(name);
  }
  return [...fields].map((name) => ({
    key: 'import.invalid_field',
    params: { field: (FIELD_NAMES as readonly string[]).includes(name) ? fieldParam(`field.${name}` as LabelKey) : name },
  }));
}

const said = (lang: Lang, message: Message) => ({ code: 'rule' in message ? message.rule : message.key, text: translate(lang, message) });

/**
 * A schedule file, line by line through schedule_case's own checks: its schema, then createCase
 * (the room, the birth date, an MRN already naming someone else, also one named earlier in the same
 * file). A preview writes nothing; an import schedules every valid line, in the caller's transaction
 * (one group commit), each line with the key `<Idempotency-Key>:<line>` so a retried import adds nothing.
 */
export async function importSchedule(ctx: ExecuteContext, input: ScheduleImportBody, lang: Lang): Promise<CommandResult> {
  const rooms = await ctx.tx.rooms();
  const file = readScheduleFile(input.csv, rooms, ctx.settings.timeZone);
  if (!file.ok) throw new Problem(400, 'validation_failed', file.problem, { errors: [{ field: 'csv', message: translate(lang, file.problem) }] });
  const inFile = new Map<string, PatientIdentity>();
  const publications: Publication[] = [];
  let valid = 0;
  let imported = 0;
  const rows: ImportRow[] = [];
  for (const row of file.rows) {
    const problems: Message[] = [...row.problems];
    let caseId: string | undefined;
    const body = row.body;
    if (body) problems.push(...schemaProblems(body));
    if (body && problems.length === 0) {
      const mrn = body.patient.mrn;
      const known = inFile.get(mrn) ?? (await ctx.tx.patientOfMrn(mrn));
      const decision = createCase('preview', body, { now: ctx.now.toISOString(), actor: ctx.actor, rooms, settings: ctx.settings, knownPatient: known });
      if (!decision.ok) problems.push({ rule: decision.rejection.rule, params: decision.rejection.params ?? {} });
      else if (input.mode === 'import') {
        try {
          const key = ctx.idempotencyKey ? `${ctx.idempotencyKey}:${row.line}` : undefined;
          const result = await scheduleCase({ ...ctx, idempotencyKey: key }, body);
          caseId = (result.body as { case: { id: string } }).case.id;
          publications.push(...result.publications);
          imported += result.publications.length > 0 ? 1 : 0;
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          problems.push(error.detail);
        }
      }
      if (problems.length === 0) {
        valid++;
        if (!known) inFile.set(mrn, body.patient);
      }
    }
    const c = row.cells;
    rows.push({
      line: row.line,
      ok: problems.length === 0,
      lastName: c.last_name ?? '',
      firstName: c.first_name ?? '',
      mrn: c.mrn ?? '',
      date: c.date ?? '',
      time: c.time ?? '',
      room: c.room ?? '',
      targets: body?.plannedTargets?.length ?? 0,
      problems: problems.map((p) => said(lang, p)),
      ...(caseId ? { caseId } : {}),
    });
  }
  const answer: ScheduleImportAnswer = { mode: input.mode, delimiter: file.delimiter, rows, valid, imported };
  return { status: 200, body: answer, publications };
}
