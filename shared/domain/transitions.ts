import { COMMAND_TYPES, type CommandType } from './command-types';
import { MACHINE, commandsIn, isAllowedIn } from './machine';
import type { Stage } from './stages';

// The stage table, read off the machine (shared/domain/machine.ts): which command is accepted in
// which stage and where it may lead. evolve() must land on one of the listed targets (a property
// test holds it to that), and the diagram in docs/ is drawn from it.
// `flow` edges move the case along and appear on the diagram; `side` edges record something
// without moving the case and are listed in the diagram's legend instead.
export interface Transition {
  from: Stage;
  command: CommandType;
  to: Stage;
  kind: 'flow' | 'side';
  // Short English condition, for the diagram only, when one command can lead to several stages.
  when?: string;
}

export const TRANSITIONS: readonly Transition[] = [
  ...COMMAND_TYPES.flatMap((command) =>
    (MACHINE[command].moves ?? []).map(({ from, to, when }): Transition =>
      when === undefined ? { from, command, to, kind: 'flow' } : { from, command, to, kind: 'flow', when },
    ),
  ),
  ...COMMAND_TYPES.flatMap((command) => (MACHINE[command].stays ?? []).map((s): Transition => ({ from: s, command, to: s, kind: 'side' }))),
];

export { isAllowedIn };

export const targetsOf = (stage: Stage, command: CommandType): Stage[] =>
  TRANSITIONS.filter((t) => t.from === stage && t.command === command).map((t) => t.to);

export const commandsAllowedIn = (stage: Stage): CommandType[] => commandsIn(stage);
