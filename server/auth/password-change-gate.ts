import type { onRequestAsyncHookHandler } from 'fastify';
import { Problem } from '../http/problem';

/**
 * What a session holding a one-time password may reach: who it is, and the password change
 * (signing out is public). The one-time password was known to whoever set it, so until the holder
 * has chosen their own, the session opens nothing else: no patient, no account, no live feed.
 */
export const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['/api/auth/me', '/api/auth/password']);

export const passwordChangeRequired = () => new Problem(403, 'password_change_required', { rule: 'password_change_required' });

const refuse: onRequestAsyncHookHandler = async (request) => {
  if (request.user && request.passwordChangeRequired) throw passwordChangeRequired();
};

/** The hook a route gets (after the session check), or null for the routes open to such a session. */
export const passwordChangeGate = (path: string): onRequestAsyncHookHandler | null => (PASSWORD_CHANGE_ROUTES.has(path) ? null : refuse);
