import type { CommandType } from '$shared';

/** What every command form receives from the action panel. */
export interface CommandFormProps {
  type: CommandType;
  caseId: string;
  primary?: boolean;
  busy?: boolean;
  error?: string;
  /** The submit button's text when it is not the command's name (e.g. "Save the checklist and mark ready"). */
  label?: string;
  /** Asks "Confirm?" before sending a step that cannot be taken back (with this warning, if any); null: no question. */
  confirm?: string | null;
  /**
   * Sends the payload (with the back-dating time, HH:MM or empty); resolves true when accepted. A form
   * that keeps a draft gives the version its view is from (`expectedVersion`), so a stale view is refused.
   */
  onsend: (payload: Record<string, unknown>, at: string, expectedVersion?: number) => Promise<boolean>;
}
