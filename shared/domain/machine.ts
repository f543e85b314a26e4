import { hasEscort, hasPositiveContraindication } from './checklist';
import { COMMAND_TYPES, type CommandType } from './command-types';
import type { CommandOf } from './commands';
import type { DecideContext } from './context';
import type { Equipment } from './dose';
import type { PermissionType, Role } from './roles';
import {
  checklistRejection,
  correctionRejection,
  deviceRejection,
  doseRejection,
  doseRequiredRejection,
  missingDoses,
  dischargeBlockers,
  freezeBlockers,
  freezeEndRejection,
  localAnesthesiaRejection,
  occurredAtRejection,
  probeRemovalBlockers,
  probeTargetRejection,
  readinessBlockers,
  reject,
  runningFreezeStart,
  sedationRejection,
  signOutRejection,
  signReportRejection,
  stimulationRejection,
  timeOutRejection,
  vitalsRejection,
  type Rejection,
  type RuleName,
} from './rules';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import {
  ACTIVE_STAGES,
  ADMISSION_STAGES,
  BEFORE_PROBE_STAGES,
  CHECKLIST_STAGES,
  FROZEN_STAGES,
  PROCEDURE_STAGES,
  STAGES,
  TRANSFER_STAGES,
  isTerminal,
  type Stage,
} from './stages';
import type { CaseState } from './state';
import { observationStep, probePlacementStep } from './steps';

// The procedure day as one table: for each command, who may send it, in which stages, where it
// leads, the named rules it must pass and when it is the day's next step. decide() (the server),
// nextActions() (the tablets) and the diagram in docs/ all read it; nothing restates it.

/** What a rule sees: the case, the sender's role, the world outside the case, and the command's time. */
export interface GuardInput {
  state: CaseState;
  role: Role;
  ctx: MachineContext;
  at: string;
}

/** Everything can() needs from outside the case: the rooms, the unit's settings, the server clock. */
export interface MachineContext {
  now: string;
  rooms: DecideContext['rooms'];
  settings: Settings;
  equipment: readonly Equipment[];
}

// A rule reads either the case alone (so a screen can ask it before anything is typed), or the
// command's own fields too (then only decide() can). Declared as methods so that one command's
// spec reads as any command's where the table is walked by type.
export type Guard<K extends CommandType> =
  | { reads: 'state'; check(i: GuardInput): Rejection | null }
  | { reads: 'command'; check(i: GuardInput & { command: Sent<K> }): Rejection | null };

/** A command as sent: its fields and the transport ones (backdating, optimistic version). */
export type Sent<K extends CommandType> = K extends CommandType ? CommandOf<K> & { occurredAt?: string; expectedVersion?: number } : never;

/** A move to another stage; `when` is a short English condition for the diagram, where one command can lead to several. */
export interface Move {
  from: Stage;
  to: Stage;
  when?: string;
}

export interface CommandSpec<K extends CommandType> {
  /** Who may send it. */
  who: readonly Role[];
  /** The stages it moves the case out of, and where to. */
  moves?: readonly Move[];
  /** The stages where it records something and the case stays. */
  stays?: readonly Stage[];
  /** The named rules it must pass, in this order, once who, stage and time have passed. */
  guards?: readonly Guard<K>[];
  /** Why it is refused in a stage it is not allowed in, where a design rule says why; else wrong_stage. */
  refusedIn?: Partial<Record<Stage, RuleName>>;
  /** The refusal in every other open stage (instead of wrong_stage). */
  refusedElsewhere?: RuleName;
  /** The stages where it is the day's next step, and on what condition (one step per case at a time). */
  step?: { in: readonly Stage[]; when?: (s: CaseState, settings: Settings) => boolean };
  /** Among a tablet's other actions only when its case rules pass (it could only be refused otherwise). */
  offerOnlyIfAllowed?: true;
}

const onState = <K extends CommandType>(check: (i: GuardInput) => Rejection | null): Guard<K> => ({ reads: 'state', check });
const onCommand = <K extends CommandType>(check: (i: GuardInput & { command: Sent<K> }) => Rejection | null): Guard<K> => ({
  reads: 'command',
  check,
});
const first = (rejections: Rejection[]): Rejection | null => rejections[0] ?? null;
const move = (from: Stage, to: Stage, when?: string): Move => (when === undefined ? { from, to } : { from, to, when });
const NURSE: readonly Role[] = ['nurse'];
const RADIOLOGIST: readonly Role[] = ['radiologist'];
const CLINICAL: readonly Role[] = ['nurse', 'radiologist'];
const note = (c: { note?: string }) => !!c.note?.trim();
const locked = (s: CaseState) => hasPositiveContraindication(s.checklist);
const REPORT_STAGES: readonly Stage[] = ['probe_removed', 'dressing', 'observation', 'discharged', 'transferred'];

export const MACHINE: { readonly [K in CommandType]: CommandSpec<K> } = {
  reschedule_case: {
    who: ['coordinator'],
    stays: ADMISSION_STAGES,
    guards: [
      onCommand(({ command: c, ctx }) =>
        c.plannedRoomId && !ctx.rooms.some((r) => r.id === c.plannedRoomId) ? reject('room_unknown', { roomId: c.plannedRoomId }) : null,
      ),
    ],
  },
  // Only the targets, before the room as the schedule is: the radiologist completes a booking that
  // arrived without them, and the time-out then checks the same list.
  plan_targets: {
    who: ['coordinator', 'radiologist'],
    stays: ADMISSION_STAGES,
  },
  admit: {
    who: NURSE,
    moves: [move('scheduled', 'admitted')],
    step: { in: ['scheduled'] },
  },
  record_checklist: {
    who: NURSE,
    moves: [move('ready', 'admitted', 'checklist no longer complete')],
    // In the room the checklist takes only the weight the anaesthetic maximum needs (checklist_closed).
    stays: [...CHECKLIST_STAGES, 'in_room'],
    guards: [
      // A positive screening is only undone through correct_last, which leaves a reason on record.
      onCommand(({ command: c, state: s }) =>
        Object.entries(c.contraindications ?? {}).some(
          ([k, v]) => v === 'negative' && s.checklist.contraindications[k as keyof typeof s.checklist.contraindications] === 'positive',
        )
          ? reject('contraindication_cleared_by_resave')
          : null,
      ),
      onCommand(({ command: c, state: s }) => {
        const { type: _type, occurredAt: _at, expectedVersion: _v, ...input } = c;
        return checklistRejection(s, input);
      }),
    ],
  },
  mark_ready: {
    who: NURSE,
    moves: [move('admitted', 'ready')],
    // A positive contraindication is the reason to name first: it means cancel, not "fill in more".
    guards: [
      onState(({ state: s }) => {
        const blockers = readinessBlockers(s);
        return blockers.find((b) => b.rule === 'contraindication_positive') ?? first(blockers);
      }),
    ],
    step: { in: ['admitted'], when: (s) => !locked(s) },
  },
  enter_room: {
    who: CLINICAL,
    moves: [move('ready', 'in_room')],
    guards: [
      onCommand(({ command: c, ctx }) => {
        const room = ctx.rooms.find((r) => r.id === c.roomId);
        if (!room) return reject('room_unknown', { roomId: c.roomId });
        return room.status === 'free' ? null : reject('room_not_free', { room: room.name });
      }),
    ],
    step: { in: ['ready'], when: (s) => !locked(s) },
  },
  confirm_time_out: {
    who: CLINICAL,
    // The time-out comes just before the first puncture.
    stays: ['in_room'],
    guards: [onCommand(({ command: c, state: s }) => timeOutRejection(s, c))],
    step: { in: ['in_room'], when: (s) => !s.timeOut },
  },
  give_sedation: {
    who: CLINICAL,
    stays: PROCEDURE_STAGES,
    guards: [
      onState(({ state: s }) => (hasEscort(s.checklist) ? null : reject('escort_required_for_sedation'))),
      onCommand(({ command: c, state: s, role }) => sedationRejection(s, c, role)),
    ],
  },
  give_local_anesthesia: {
    who: RADIOLOGIST,
    moves: [move('in_room', 'local_anesthesia')],
    stays: ['local_anesthesia', 'probe_placement'],
    guards: [onCommand(({ command: c, state: s, role }) => localAnesthesiaRejection(s, c, role))],
    step: { in: ['in_room'], when: (s) => !!s.timeOut },
  },
  position_probe: {
    who: RADIOLOGIST,
    moves: [move('local_anesthesia', 'probe_placement'), move('probe_placement', 'probe_placement', 'next target')],
    guards: [
      onCommand(({ command: c, state: s }) => probeTargetRejection(s, c.target, c.offPlanReason)),
      onCommand(({ command: c, at, ctx }) => deviceRejection(c.device, at, ctx.settings.timeZone)),
    ],
    refusedIn: { freezing: 'probe_still_frozen', thawing: 'probe_still_frozen', in_room: 'local_anesthesia_required' },
    step: { in: ['local_anesthesia', 'probe_placement'], when: (s, set) => s.stage !== 'probe_placement' || probePlacementStep(s, set) === 'position_probe' },
  },
  // The nurse often scans the introducer or the gas cylinder while the radiologist works.
  record_device: {
    who: CLINICAL,
    stays: [...PROCEDURE_STAGES, 'probe_removed', 'dressing'],
    guards: [onCommand(({ command: c, at, ctx }) => deviceRejection(c.device, at, ctx.settings.timeZone))],
  },
  record_stimulation: {
    who: RADIOLOGIST,
    stays: ['probe_placement'],
    guards: [onState(({ state: s }) => stimulationRejection(s))],
    offerOnlyIfAllowed: true,
  },
  start_freeze: {
    who: RADIOLOGIST,
    moves: [move('probe_placement', 'freezing')],
    guards: [onState(({ state: s }) => first(freezeBlockers(s)))],
    refusedIn: {
      freezing: 'freeze_already_running',
      thawing: 'thaw_not_finished',
      ...Object.fromEntries(BEFORE_PROBE_STAGES.map((s) => [s, 'probe_not_positioned'])),
    },
    step: { in: ['probe_placement'], when: (s, set) => probePlacementStep(s, set) === 'start_freeze' },
  },
  end_freeze: {
    who: RADIOLOGIST,
    moves: [move('freezing', 'thawing')],
    guards: [
      onCommand(({ command: c, state: s, at }) => {
        const startedAt = runningFreezeStart(s);
        return freezeEndRejection(c, startedAt === null ? undefined : { startedAt, endsAt: at });
      }),
    ],
    step: { in: ['freezing'] },
  },
  end_thaw: {
    who: RADIOLOGIST,
    moves: [move('thawing', 'probe_placement', 'probe idle')],
    step: { in: ['thawing'] },
  },
  remove_probe: {
    who: RADIOLOGIST,
    moves: [move('probe_placement', 'probe_removed')],
    guards: [onState(({ state: s }) => first(probeRemovalBlockers(s)))],
    refusedIn: {
      ...Object.fromEntries(FROZEN_STAGES.map((s) => [s, 'probe_still_frozen'])),
      ...Object.fromEntries(BEFORE_PROBE_STAGES.map((s) => [s, 'probe_not_positioned'])),
    },
    step: { in: ['probe_placement'], when: (s, set) => probePlacementStep(s, set) === 'remove_probe' },
  },
  abort: {
    who: RADIOLOGIST,
    moves: BEFORE_PROBE_STAGES.map((s) => move(s, 'probe_removed', 'no probe in place')),
    stays: ['probe_placement', ...FROZEN_STAGES],
    guards: [onState(({ state: s }) => (s.aborted ? reject('already_aborted') : null))],
  },
  apply_dressing: {
    who: CLINICAL,
    moves: [move('probe_removed', 'dressing')],
    step: { in: ['probe_removed'] },
  },
  // The console's dose, read once the probe is out; the sign-out waits for it after CT or cone-beam CT.
  record_dose: {
    who: CLINICAL,
    stays: ['probe_removed', 'dressing'],
    guards: [onCommand(({ command: c, state: s, ctx }) => doseRejection(s, c, ctx.equipment))],
    step: { in: ['dressing'], when: (s) => !s.signOut && missingDoses(s).length > 0 },
  },
  confirm_sign_out: {
    who: CLINICAL,
    // The sign-out comes before the patient leaves the room.
    stays: ['dressing'],
    guards: [onState(({ state: s }) => doseRequiredRejection(s)), onCommand(({ command: c }) => signOutRejection(c))],
    step: { in: ['dressing'], when: (s) => !s.signOut && missingDoses(s).length === 0 },
  },
  start_observation: {
    who: NURSE,
    moves: [move('dressing', 'observation')],
    // No way out of the room before the sign-out.
    guards: [onState(({ state: s }) => (s.signOut ? null : reject('sign_out_required')))],
    step: { in: ['dressing'], when: (s) => !!s.signOut },
    offerOnlyIfAllowed: true,
  },
  record_vitals: {
    who: CLINICAL,
    stays: ACTIVE_STAGES,
    guards: [onCommand(({ command: c }) => vitalsRejection(c))],
    step: { in: ['observation'], when: (s) => observationStep(s) === 'record_vitals' },
  },
  record_aldrete: {
    who: CLINICAL,
    stays: ['observation'],
    step: { in: ['observation'], when: (s) => observationStep(s) === 'record_aldrete' },
  },
  record_padss: {
    who: CLINICAL,
    stays: ['observation'],
    step: { in: ['observation'], when: (s) => observationStep(s) === 'record_padss' },
  },
  override_discharge_score: {
    who: RADIOLOGIST,
    stays: ['observation'],
  },
  record_complication: {
    who: CLINICAL,
    stays: ACTIVE_STAGES,
    guards: [onCommand(({ command: c }) => (c.kind === 'other' && !note(c) ? reject('note_required') : null))],
  },
  record_pain_score: {
    who: CLINICAL,
    // Follow-up calls (day 1, month 1, month 3) come after discharge: pain scores outlive the case.
    stays: STAGES,
  },
  discharge: {
    who: NURSE,
    moves: [move('observation', 'discharged')],
    guards: [
      onState(({ state: s, at, ctx }) => first(dischargeBlockers(s, at, ctx.settings, ctx.now))),
      onCommand(({ command: c, state: s }) => (c.escortConfirmed && hasEscort(s.checklist) ? null : reject('escort_not_confirmed'))),
      onCommand(({ command: c }) => (c.instructionsGiven ? null : reject('instructions_not_given'))),
    ],
    step: { in: ['observation'], when: (s) => observationStep(s) === 'discharge' },
  },
  cancel: {
    who: ['nurse', 'radiologist', 'coordinator'],
    moves: ADMISSION_STAGES.map((s) => move(s, 'cancelled')),
    guards: [onCommand(({ command: c }) => (c.reason === 'other' && !note(c) ? reject('note_required') : null))],
    refusedElsewhere: 'cancel_too_late',
    // What a positive contraindication leaves.
    step: { in: CHECKLIST_STAGES, when: locked },
  },
  transfer: {
    who: RADIOLOGIST,
    moves: TRANSFER_STAGES.map((s) => move(s, 'transferred')),
    refusedIn: { ...Object.fromEntries(FROZEN_STAGES.map((s) => [s, 'probe_still_frozen'])), probe_placement: 'probe_in_place' },
  },
  // The report is written once the probe is out, and may be signed (and amended) after the case closes.
  record_report_conclusion: {
    who: RADIOLOGIST,
    stays: REPORT_STAGES,
  },
  sign_report: {
    who: RADIOLOGIST,
    stays: REPORT_STAGES,
    guards: [onCommand(({ command: c, state: s }) => signReportRejection(s, c))],
  },
  correct_last: {
    who: CLINICAL,
    // Never from a terminal stage: a closed case does not reopen, whatever closed it.
    stays: ACTIVE_STAGES,
    guards: [onState(({ state: s, role, ctx }) => correctionRejection(s, role, ctx.rooms))],
    offerOnlyIfAllowed: true,
  },
};

// The two permissions that are not case commands: creating a case, and releasing a cleaned room.
export const OTHER_PERMISSIONS: Readonly<Record<Exclude<PermissionType, CommandType>, readonly Role[]>> = {
  schedule_case: ['coordinator'],
  room_ready: ['nurse'],
};

const permissionsOf = (role: Role): PermissionType[] => [
  ...(OTHER_PERMISSIONS.schedule_case.includes(role) ? (['schedule_case'] as const) : []),
  ...COMMAND_TYPES.filter((c) => MACHINE[c].who.includes(role)),
  ...(OTHER_PERMISSIONS.room_ready.includes(role) ? (['room_ready'] as const) : []),
];

// The role table, read off the machine: the server enforces it (decide() too); the UI only uses it
// to hide what would be refused. Coordinators plan, they never record a clinical act; admins
// manage accounts, not patients.
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly PermissionType[]>> = {
  nurse: permissionsOf('nurse'),
  radiologist: permissionsOf('radiologist'),
  coordinator: permissionsOf('coordinator'),
  admin: permissionsOf('admin'),
  interface: permissionsOf('interface'),
};

// Read off the table once: every command is checked against these on every decision.
const STAGES_OF = new Map<CommandType, readonly Stage[]>(
  COMMAND_TYPES.map((c) => [c, [...new Set([...(MACHINE[c].moves ?? []).map((m) => m.from), ...(MACHINE[c].stays ?? [])])]]),
);
const COMMANDS_IN = new Map<Stage, readonly CommandType[]>(STAGES.map((s) => [s, COMMAND_TYPES.filter((c) => STAGES_OF.get(c)!.includes(s))]));

export const stagesOf = (command: CommandType): Stage[] => [...(STAGES_OF.get(command) ?? [])];

export const commandsIn = (stage: Stage): CommandType[] => [...(COMMANDS_IN.get(stage) ?? [])];

export const isAllowedIn = (stage: Stage, command: CommandType): boolean => STAGES_OF.get(command)?.includes(stage) ?? false;

// When a command is not allowed in the stage, say *why* in domain words where a design rule covers
// it (the frozen probe above all), and fall back to a generic "not now".
export function stageRejection(stage: Stage, command: CommandType): Rejection {
  if (isTerminal(stage)) return reject('case_closed', { stage }, 'not_allowed_in_stage');
  const spec: CommandSpec<CommandType> = MACHINE[command];
  const why = spec.refusedIn?.[stage] ?? spec.refusedElsewhere;
  return why ? reject(why) : reject('wrong_stage', { stage }, 'not_allowed_in_stage');
}

/** The day's next step in this stage, read off the table's step column. */
export const stepOf = (state: CaseState, settings: Settings = DEFAULT_SETTINGS): CommandType | null =>
  COMMAND_TYPES.find((c) => {
    const step = MACHINE[c].step;
    return !!step && step.in.includes(state.stage) && (step.when?.(state, settings) ?? true);
  }) ?? null;

export type Verdict = { ok: true } | { ok: false; rejection: Rejection };

const refused = (rejection: Rejection): Verdict => ({ ok: false, rejection });

const isSent = (command: CommandType | Sent<CommandType>): command is Sent<CommandType> => typeof command !== 'string';

/**
 * Whether `role` may send `command` to this case now: ok, or the first rule that refuses it.
 * Order of checks: who, stage, when (the command's occurredAt), then the command's own rules — so a
 * nurse learns first that she may not, then that it is not the moment.
 * Given the whole command (decide() does), every rule runs. Given only its type (a screen, before
 * anything is typed), the time and the rules that read the command's fields are skipped.
 */
export function can(
  state: CaseState,
  command: CommandType | Sent<CommandType>,
  role: Role,
  context: Partial<MachineContext> = {},
): Verdict {
  const type = isSent(command) ? command.type : command;
  const ctx: MachineContext = {
    now: context.now ?? state.lastOccurredAt,
    rooms: context.rooms ?? [],
    settings: context.settings ?? DEFAULT_SETTINGS,
    equipment: context.equipment ?? [],
  };
  const spec: CommandSpec<CommandType> | undefined = MACHINE[type];
  if (!spec) throw new Error(`can: unknown command ${type}`);
  if (!spec.who.includes(role)) return refused(reject('role_not_allowed', { role }, 'forbidden'));
  if (!isAllowedIn(state.stage, type)) return refused(stageRejection(state.stage, type));
  // A screen asks about now, which back-dating cannot put before the case's last event.
  const at = isSent(command) ? (command.occurredAt ?? ctx.now) : ctx.now > state.lastOccurredAt ? ctx.now : state.lastOccurredAt;
  if (isSent(command)) {
    const timing = occurredAtRejection(at, state, ctx.now, ctx.settings);
    if (timing) return refused(timing);
  }
  for (const guard of spec.guards ?? []) {
    if (guard.reads === 'command' && !isSent(command)) continue;
    const broken = guard.reads === 'state' ? guard.check({ state, role, ctx, at }) : guard.check({ state, role, ctx, at, command: command as Sent<CommandType> });
    if (broken) return refused(broken);
  }
  return { ok: true };
}
