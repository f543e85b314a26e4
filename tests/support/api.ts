import WebSocket from 'ws';
import { hashPassword } from '../../server/auth/passwords';
import { executeRoomReady, scheduleCase } from '../../server/cases/execute';
import type { Role } from '../../shared';
import type { TestServer } from './server';

export const TEST_PASSWORD = 'correct horse battery';

let testHash: Promise<string> | undefined;
/**
 * One scrypt hash of TEST_PASSWORD for every fixture account, at a cost a thousandth of the unit's: the
 * suite signs in hundreds of times. Sign-in still runs the real scrypt check on it; accounts created
 * through the API or the CLI in a test get the unit's full cost.
 */
export const testPasswordHash = () => (testHash ??= hashPassword(TEST_PASSWORD, { N: 2 ** 5, r: 8, p: 1 }));

/** One account per role, created straight in the server's database, whichever store it runs on. */
export async function seedStaff(server: TestServer) {
  const passwordHash = await testPasswordHash();
  const make = (role: Role, displayName: string) => server.app.accounts.createStaff({ username: role, displayName, role, passwordHash });
  return {
    nurse: await make('nurse', 'Inès Martin'),
    radiologist: await make('radiologist', 'Dr Roche'),
    coordinator: await make('coordinator', 'Julie Caron'),
    admin: await make('admin', 'Admin'),
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A signed-in user talking to the real server over HTTP. */
export class Api {
  constructor(
    readonly server: TestServer,
    readonly cookie: string,
    readonly lang: 'fr' | 'en' = 'en',
  ) {}

  static async login(server: TestServer, username: string, password = TEST_PASSWORD): Promise<Api> {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('no session cookie');
    return new Api(server, cookie);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'accept-language': this.lang,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // leave as text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);

  /** The id of a room nobody is in, for a test that takes a patient into one. */
  async freeRoom(): Promise<string> {
    const rooms = (await this.get('/api/rooms')).body.rooms as { id: string; status: string }[];
    const room = rooms.find((r) => r.status === 'free');
    if (!room) throw new Error('no free room left: give the test server more ROOMS');
    return room.id;
  }
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);

  /** Sends a command at the case's current version (read first), failing loudly unless it is accepted. */
  async command(caseId: string, command: Record<string, unknown>, headers?: Record<string, string>) {
    const current = await this.get(`/api/cases/${caseId}`);
    const res = await this.post(`/api/cases/${caseId}/commands`, { expectedVersion: current.body.case.version, ...command }, headers);
    if (res.status !== 200) throw new Error(`${String(command.type)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { case: any; events: any[] };
  }
}

/**
 * A websocket client on /api/live that keeps every raw frame (for byte-level privacy checks) and every
 * message, batch frames unwrapped.
 */
export class LiveClient {
  readonly frames: string[] = [];
  readonly messages: any[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeCode: number | null = null;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        resolve({ code, reason: reason.toString() });
      }),
    );
    this.socket.on('message', (data) => {
      const frame = data.toString();
      this.frames.push(frame);
      const message = JSON.parse(frame);
      if (message.type === 'batch') this.messages.push(...message.messages);
      else this.messages.push(message);
    });
  }

  static staff(server: TestServer, api: Api | string, query = '') {
    return new LiveClient(`${server.wsUrl}/api/live${query}`, { cookie: typeof api === 'string' ? api : api.cookie });
  }

  static board(server: TestServer, token: string, query = '') {
    return new LiveClient(`${server.wsUrl}/api/live?token=${encodeURIComponent(token)}${query}`);
  }

  events() {
    return this.messages.filter((m) => m.type === 'event');
  }

  // 15 s: a wait that is met costs nothing more, and 5 s ran out on a loaded two-core machine.
  async waitFor(predicate: (messages: any[]) => boolean, timeoutMs = 15_000) {
    const start = Date.now();
    while (!predicate(this.messages)) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => [m.type, m.seq]))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close() {
    this.socket.close();
  }
}

/** A complete checklist: everything declared, every contraindication screened negative. */
export const COMPLETE_CHECKLIST = {
  identityVerified: true,
  consentSigned: true,
  anticoagulants: { taken: false },
  antiInflammatories: { taken: false },
  allergies: { has: false },
  weightKg: 72,
  escort: { name: 'Marc Durand', phone: '06 12 34 56 78' },
  contraindications: { localInfection: 'negative', raynaud: 'negative', cryoglobulinemia: 'negative', coldUrticaria: 'negative' },
};

export function newCaseBody(overrides: Record<string, unknown> = {}) {
  return {
    patient: { firstName: 'Hélène', lastName: 'Durand', mrn: `MRN-${Math.random().toString(36).slice(2, 10)}`, birthDate: '1958-03-14', sex: 'female' },
    scheduledAt: new Date().toISOString(),
    plannedRoomId: 'room-1',
    plannedTargets: [{ nerve: 'genicular', side: 'right' }],
    ...overrides,
  };
}

/**
 * Books a case as if the coordinator had done it `minutesAgo` minutes ago, through the same code path
 * as POST /api/cases, so a test can back-date the day's steps (they may not precede the booking).
 */
export async function bookCaseInThePast(server: TestServer, coordinator: { id: string; displayName: string }, minutesAgo: number, body = newCaseBody()) {
  const context = {
    settings: server.app.settings,
    labelMode: server.app.config.boardLabel,
    actor: { id: coordinator.id, name: coordinator.displayName, role: 'coordinator' as const },
    now: new Date(Date.now() - minutesAgo * 60_000),
  };
  const result = await server.app.groupCommit.run((tx) => scheduleCase({ ...context, tx }, body as never));
  server.app.publish(result.publications);
  return (result.body as { case: { id: string } }).case.id;
}

/**
 * A nurse declares a room ready at a past instant, through the same code path as POST /api/rooms/:id/commands
 * (which stamps the server's clock): for a history whose turnovers are known minutes.
 */
export async function roomReadyAt(server: TestServer, nurse: { id: string; displayName: string }, roomId: string, at: string) {
  const context = {
    settings: server.app.settings,
    labelMode: server.app.config.boardLabel,
    actor: { id: nurse.id, name: nurse.displayName, role: 'nurse' as const },
    now: new Date(at),
  };
  const result = await server.app.groupCommit.run((tx) => executeRoomReady({ ...context, tx }, roomId));
  if (result.status !== 200) throw new Error(`room_ready ${roomId} → ${result.status} ${JSON.stringify(result.body)}`);
  server.app.publish(result.publications);
}
