import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MAX_PASSWORD_LENGTH, SignedInUserSchema } from '../../shared';
import { accountRuleProblem, weakPasswordProblem } from '../auth/account-problems';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { tokenDigest } from '../auth/tokens';
import { problems } from '../http/problem';
import { SESSION_COOKIE } from '../plugins/auth';
import { problemResponses } from './schemas';

const BODY_LIMIT = 4096;

/** Any signed-in user changes their own password; the only way out of a one-time password. */
const passwordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/password',
    {
      bodyLimit: BODY_LIMIT,
      // Guessing the current password here must cost as much as at sign-in.
      config: { rateLimit: { max: app.config.loginRateLimit, timeWindow: 60_000 } },
      schema: {
        summary: 'Change your own password (old + new): other sessions of the account are signed out',
        description:
          'The new password must pass the strength rule (rules `password_too_short`, `password_too_weak`, with the reason in the request language) and differ from the current one (`password_unchanged`). A wrong current password is `password_wrong`.',
        tags: ['auth'],
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
            newPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SignedInUserSchema, ...problemResponses(400, 401, 422, 429) },
      },
    },
    async (request) => {
      const user = request.user;
      const token = request.cookies[SESSION_COOKIE];
      if (!user || !token) throw problems.unauthenticated();
      const { currentPassword, newPassword } = request.body;
      const account = await app.accounts.accountById(user.id);
      if (!account) throw problems.unauthenticated();
      if (!(await verifyPassword(currentPassword, account.passwordHash))) throw accountRuleProblem('password_wrong');
      if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) throw accountRuleProblem('password_unchanged');
      // Loaded at the first password change, not at start: its dictionaries are a third of a started
      // server's memory (about 70 MB), for a check made a few times a year per account.
      const { checkPasswordStrength } = await import('../../shared/domain/password-strength');
      const verdict = checkPasswordStrength(newPassword, { username: account.username, displayName: account.displayName });
      if (!verdict.ok) throw weakPasswordProblem(verdict, 'newPassword');
      const changed = await app.accounts.changeOwnPassword(account.id, await hashPassword(newPassword), tokenDigest(token), new Date());
      if (!changed) throw problems.unauthenticated();
      // Other devices' live feeds belong to sessions just revoked: close them now, not at the next heartbeat.
      app.live.disconnectStaff(account.id, token);
      request.log.info({ staffId: account.id, wasOneTime: account.mustChangePassword }, 'password changed');
      return { ...user, mustChangePassword: false };
    },
  );
};

export default passwordRoutes;
