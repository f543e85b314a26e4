import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { openDatabase, type Connection } from '../../db/connection';
import { ROLES, type Role } from '../../shared';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  USERNAME_PATTERN,
  UsernameTakenError,
  createStaff,
  findStaff,
  listStaff,
  resetStaffPassword,
  setStaffActive,
} from '../auth/staff';
import { ConfigError, loadConfig } from '../config';

const USAGE = `Usage: npm run users -- <command>
  add <username> --role <${ROLES.join('|')}> --name "<display name>"
  list
  disable <username>
  enable <username>          (also lifts a sign-in lockout)
  reset-password <username>
The password comes from CRYODAY_PASSWORD, or is asked for without echo (at least ${MIN_PASSWORD_LENGTH} characters).
The database is DATABASE_PATH, as for the server.`;

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

async function readPassword(): Promise<string> {
  let password = process.env.CRYODAY_PASSWORD;
  if (password === undefined) {
    if (!process.stdin.isTTY) throw new CliError('no password: set CRYODAY_PASSWORD or run in a terminal to be asked', 2);
    password = await askHidden('Password: ');
    if ((await askHidden('Password again: ')) !== password) throw new CliError('the two passwords differ');
  }
  if (password.length < MIN_PASSWORD_LENGTH) throw new CliError(`password too short: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new CliError(`password too long: at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

function existing(connection: Connection, username: string | undefined) {
  if (!username) throw new CliError('missing <username>', 2);
  const account = findStaff(connection.db, username);
  if (!account) throw new CliError(`no account named "${username}"`);
  return account;
}

async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, username, ...extra] = positionals;
  if (values.help || !command) return USAGE;
  if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}"`, 2);

  const config = loadConfig();
  const connection = openDatabase(config.databasePath);
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
        if (findStaff(connection.db, username)) throw new CliError(`username "${username.toLowerCase()}" is already taken`);
        const created = await createStaff(connection.db, { username, displayName: name, role, password: await readPassword() });
        return `added ${created.username} (${created.role}, "${created.displayName}")`;
      }
      case 'list': {
        if (username) throw new CliError(`unexpected argument "${username}"`, 2);
        const now = Date.now();
        const rows = listStaff(connection.db).map((s) => {
          const locked = s.lockedUntil && Date.parse(s.lockedUntil) > now ? ` locked until ${s.lockedUntil}` : '';
          return `${s.username}\t${s.role}\t${s.active ? 'active' : 'disabled'}\t${s.displayName}${locked}`;
        });
        return rows.length ? rows.join('\n') : 'no accounts';
      }
      case 'disable':
      case 'enable': {
        const account = existing(connection, username);
        setStaffActive(connection.db, account.id, command === 'enable');
        return `${command}d ${account.username}${command === 'disable' ? ' (signed out everywhere)' : ''}`;
      }
      case 'reset-password': {
        const account = existing(connection, username);
        await resetStaffPassword(connection.db, account.id, await readPassword());
        // A demo account disabled at start (CRYODAY_DEMO unset) needs both steps: say so.
        const stillDisabled = account.active ? '' : `; the account is disabled: npm run users -- enable ${account.username}`;
        return `new password set for ${account.username} (signed out everywhere)${stillDisabled}`;
      }
      default:
        throw new CliError(`unknown command "${command}"\n${USAGE}`, 2);
    }
  } finally {
    connection.close();
  }
}

run(process.argv.slice(2)).then(
  (out) => {
    console.log(out);
  },
  (error: unknown) => {
    if (error instanceof CliError || error instanceof ConfigError || error instanceof UsernameTakenError) {
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
