import type { RuleName } from '$shared';

export interface FieldError {
  field: string;
  message: string;
}

/** The server's problem+json answer, kept whole so a screen can show `detail` (already translated) next to what failed. */
export interface ProblemBody {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  rule?: RuleName;
  errors?: FieldError[];
  currentVersion?: number;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly rule: RuleName | undefined;
  readonly errors: FieldError[];
  readonly currentVersion: number | undefined;

  constructor(body: ProblemBody) {
    super(body.detail ?? body.title ?? `HTTP ${body.status}`);
    this.status = body.status;
    this.code = body.code ?? 'unknown';
    this.detail = body.detail ?? body.title ?? `HTTP ${body.status}`;
    this.rule = body.rule;
    this.errors = body.errors ?? [];
    this.currentVersion = body.currentVersion;
  }
}

/** The error a failed answer stands for: its problem+json body when it sent one, else its status alone. */
export function problemOf(status: number, body: unknown): ApiError {
  const problem = body && typeof body === 'object' ? (body as ProblemBody) : { status };
  return new ApiError({ ...problem, status });
}

/** A request that never reached the server (Wi-Fi dropped): told apart so the screen can say "retry". */
export class NetworkError extends Error {}

/**
 * The server's own "not now", about itself rather than the request: its database out of reach (503), or
 * the instance behind the hospital's proxy restarting (502, 504). Nothing was recorded, or what was is
 * settled by sending the same request again with its Idempotency-Key.
 */
export const SERVER_UNAVAILABLE: readonly number[] = [502, 503, 504];
export const serverUnavailable = (error: unknown): boolean => error instanceof ApiError && SERVER_UNAVAILABLE.includes(error.status);
