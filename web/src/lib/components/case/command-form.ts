import type { CommandType } from '$shared';

/** What every command form receives from the action panel. */
export interface CommandFormProps {
  type: CommandType;
  caseId: string;
  primary?: boolean;
  busy?: boolean;
  error?: string;
  /** Sends the payload (with the back-dating time, HH:MM or empty); resolves true when accepted. */
  onsend: (payload: Record<string, unknown>, at: string) => Promise<boolean>;
}
