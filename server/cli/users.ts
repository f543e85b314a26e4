import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/connection';
import { openPostgres } from '../../db/pg/connection';
import { CLI_ACTOR, MIN_PASSWORD_LENGTH, ROLES, ruleText, type AccountAuditEntry, type Role } from '../../shared';
import { checkPasswordStrength, type PasswordContext } from '../../shared/domain/password-strength';
import type { AccountStore } from '../auth/account-store';
import { PgAccounts } from '../auth/pg-accounts';
import { SqliteAccounts } from '../auth/sqlite-accounts';
import { DisplayNameTakenError, LastActiveAdminError, USERNAME_PATTERN, UsernameTakenError } from '../auth/staff';
import { CSV_BOM, CSV_SEPARATOR, guardText, quote } from '../reports/csv';
import { ConfigError, loadConfig } from '../config';

const USAGE = `Usage: npm run users -- <command>
  add <username> --role <${ROLES.join('|')}> --name "<display name>"
  list
  disable <username>
  enable <username>          (also lifts a sign-in lockout)
  reset-password <username>
  audit [--csv]              (account administration, oldest first)
The password comes from CRYODAY_PASSWORD, or is asked for without echo (at least ${MIN_PASSWORD_LENGTH} characters,
hard to guess). It is a one-time password: its holder must change it at first sign-in, so whoever set it
never knows the working one. Every change is written to the account audit as "${CLI_ACTOR}".
The last active admin cannot be disabled. The database is the server's: DATABASE_URL (PostgreSQL) or DATABASE_PATH.`;

/** A refusal worth one line on stderr; `code` 2 for misuse, 1 for a refused operation. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new CliError('cancelled'));
    });
    muted = true;
  });
}

async function readPassword(context: PasswordContext): Promise<string> {
  let password = process.env.CRYODAY_PASSWORD;
  if (password === undefined) {
    if (!process.stdin.isTTY) throw new CliError('no password: set CRYODAY_PASSWORD or run in a terminal to be asked', 2);
    password = await askHidden('Password: ');
    if ((await askHidden('Password again: ')) !== password) throw new CliError('the two passwords differ');
  }
  const verdict = checkPasswordStrength(password, context);
  if (!verdict.ok) throw new CliError(`${verdict.rule.replace(/_/g, ' ')}: ${ruleText('en', verdict.rule, verdict.params)}`);
  return password;
}

async function existing(accounts: AccountStore, username: string | undefined) {
  if (!username) throw new CliError('missing <username>', 2);
  const account = await accounts.staffOfUsername(username);
  if (!account) throw new CliError(`no account named "${username}"`);
  return account;
}

async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, csv: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, username, ...extra] = positionals;
  if (values.help || !command) return USAGE;
  if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}"`, 2);

  const config = loadConfig();
  const { accounts, close } = await openAccounts(config.databaseUrl, config.databasePath);
  try {
    switch (command) {
      case 'add': {
        if (!username || !new RegExp(USERNAME_PATTERN).test(username)) {
          throw new CliError('add needs a <username> of 2 to 64 letters, digits, dots, dashes or underscores', 2);
        }
        const role = values.role as Role | undefined;
        if (!role || !ROLES.includes(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`, 2);
        const name = values.name?.trim();
        if (!name || name.length > 100) throw new CliError('--name "<display name>" is required (at most 100 characters)', 2);
        if (await accounts.staffOfUsername(username)) throw new CliError(`username "${username.toLowerCase()}" is already taken`);
        const password = await readPassword({ username, displayName: name });
        const created = await accounts.createStaff({ username, displayName: name, role, password }, { by: CLI_ACTOR, oneTime: true });
        return `added ${created.username} (${created.role}, "${created.displayName}"); the password must be changed at first sign-in`;
      }
      case 'list': {
        if (username) throw new CliError(`unexpected argument "${username}"`, 2);
        const now = Date.now();
        const rows = (await accounts.listStaff()).map((s) => {
          const locked = s.lockedUntil && Date.parse(s.lockedUntil) > now ? ` locked until ${s.lockedUntil}` : '';
          return `${s.username}\t${s.role}\t${s.active ? 'active' : 'disabled'}\t${s.displayName}${locked}`;
        });
        return rows.length ? rows.join('\n') : 'no accounts';
      }
      case 'disable':
      case 'enable': {
        const account = await existing(accounts, username);
        await accounts.setStaffActive(account.id, command === 'enable', { by: CLI_ACTOR, keepAnAdmin: true });
        return `${command}d ${account.username}${command === 'disable' ? ' (signed out everywhere)' : ''}`;
      }
      case 'reset-password': {
        const account = await existing(accounts, username);
        const password = await readPassword({ username: account.username, displayName: account.displayName });
        await accounts.resetStaffPassword(account.id, password, { by: CLI_ACTOR, oneTime: true });
        // A demo account disabled at start (CRYODAY_DEMO unset) needs both steps: say so.
        const stillDisabled = account.active ? '' : `; the account is disabled: npm run users -- enable ${account.username}`;
        return `one-time password set for ${account.username} (signed out everywhere; to be changed at next sign-in)${stillDisabled}`;
      }
      case 'audit': {
        if (username) throw new CliError(`unexpected argument "${username}"`, 2);
        const entries = await accounts.allAccountAudit();
        if (values.csv) return auditCsv(entries);
        return entries.length ? entries.map(auditLine).join('\n') : 'no account administration yet';
      }
      default:
        throw new CliError(`unknown command "${command}"\n${USAGE}`, 2);
    }
  } finally {
    await close();
  }
}

/** The server's accounts, on the store it runs on. */
async function openAccounts(databaseUrl: string | null, databasePath: string): Promise<{ accounts: AccountStore; close: () => Promise<void> }> {
  if (databaseUrl !== null) {
    const postgres = await openPostgres(databaseUrl, { max: 2 });
    return { accounts: new PgAccounts(postgres.pool), close: () => postgres.close() };
  }
  const connection = openDatabase(databasePath);
  return { accounts: new SqliteAccounts(connection.db), close: async () => connection.close() };
}

const detailsText = (details: AccountAuditEntry['details']) =>
  Object.entries(details)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

const auditLine = (e: AccountAuditEntry) => `${e.at}\t${e.actor}\t${e.action}\t${e.targetUsername}\t${detailsText(e.details)}`.trimEnd();

/** The same CSV dialect as the reports (French Excel opens it by double-click); every text cell guarded against formulas. */
function auditCsv(entries: AccountAuditEntry[]): string {
  const header = ['seq', 'at', 'actor', 'actor_id', 'action', 'target_username', 'target_id', 'details'];
  const rows = entries.map((e) => [String(e.seq), e.at, e.actor, e.actorId ?? '', e.action, e.targetUsername, e.targetId, detailsText(e.details)]);
  return CSV_BOM + [header, ...rows].map((r) => r.map((cell) => quote(guardText(cell))).join(CSV_SEPARATOR)).join('\r\n');
}

run(process.argv.slice(2)).then(
  (out) => {
    console.log(out);
  },
  (error: unknown) => {
    const refused = error instanceof UsernameTakenError || error instanceof DisplayNameTakenError || error instanceof LastActiveAdminError;
    if (error instanceof CliError || error instanceof ConfigError || refused) {
      console.error(`users: ${error.message}`);
      process.exitCode = error instanceof CliError ? error.code : error instanceof ConfigError ? 2 : 1;
    } else if (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`users: ${error.message.split('\n')[0]}`);
      process.exitCode = 2;
    } else {
      console.error(`users: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
