import type { RuleName } from '../../shared';
import type { PasswordVerdict } from '../../shared/domain/password-strength';
import { Problem } from '../http/problem';

/** A broken account rule, answered like a broken clinical rule: 422, `rule_violated`, the rule's name, its translated reason. */
export const accountRuleProblem = (rule: RuleName, params: Record<string, string | number> = {}) =>
  new Problem(422, 'rule_violated', { rule, params }, { rule });

export const weakPasswordProblem = (verdict: Extract<PasswordVerdict, { ok: false }>, field: string) =>
  new Problem(422, 'rule_violated', { rule: verdict.rule, params: verdict.params }, { rule: verdict.rule, score: verdict.score, field });
