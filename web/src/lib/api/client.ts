import { goto } from '$app/navigation';
import type {
  CaseList,
  CaseWithTimeline,
  CommandAnswer,
  CommandBody,
  CommandType,
  EquipmentRecord,
  Room,
  RoomAnswer,
  ScheduleCaseBody,
  ScheduleImportAnswer,
  SignedInUser,
  TimelineEntry,
  UnitIdentityRecord,
} from '$shared';
import { language } from '$lib/i18n/language.svelte';
import { forgetAnswers, recalledAnswer, rememberAnswer } from '$lib/offline/offline-db';
import { saveDrafts } from './drafts';
import { NetworkError, problemOf } from './problem';

export type { CaseWithTimeline, CommandAnswer, Room, TimelineEntry };

/** Where the sign-in page sends the user back to, and why it was shown. */
export function signInUrl(expired: boolean): string {
  const next = location.pathname + location.search;
  const params = new URLSearchParams({ next });
  if (expired) params.set('expired', '1');
  return `/login?${params}`;
}

let redirecting = false;

/** The session is gone: keep the drafts, go to sign-in, come back here afterwards. */
export function sessionExpired() {
  if (redirecting || location.pathname === '/login') return;
  redirecting = true;
  saveDrafts();
  void goto(signInUrl(true)).finally(() => (redirecting = false));
}

/** Every call the screens make to the API goes through here, so a refusal is read, and acted on, one way. */
export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': language.current,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new NetworkError(String(cause));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const error = problemOf(res.status, parsed);
    // The session is gone: what this tablet kept of it for a reload without network goes too.
    if (res.status === 401) void forgetAnswers().catch(() => undefined);
    if (res.status === 401 && !path.startsWith('/api/auth/')) sessionExpired();
    // A one-time password opens nothing else: the only way on is choosing one's own.
    if (error.code === 'password_change_required' && location.pathname !== '/password') void goto('/password');
    throw error;
  }
  return parsed as T;
}

// Bumped at sign-out, so an answer still on its way is not kept after the session it belonged to.
let session = 0;
let keeping = true;

/** Sign-out: every answer a read still in flight would have kept is forgotten, and nothing more is kept. */
export function endKeptAnswers() {
  session += 1;
  keeping = false;
}

/** Sign-in: this session's answers may be kept again. */
export function startKeptAnswers() {
  keeping = true;
}

/**
 * A read the bedside screens need after a reload with no network: its last answer is kept on the
 * tablet (offline-db.ts) and given back when the server cannot be reached.
 */
async function kept<T>(path: string): Promise<T> {
  const mine = session;
  try {
    const answer = await request<T>('GET', path);
    if (mine === session && keeping) void rememberAnswer(path, answer).catch(() => undefined);
    return answer;
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const last = await recalledAnswer<T>(path).catch(() => undefined);
    if (last === undefined) throw error;
    return last;
  }
}

/** Keeps a case as the screen now knows it (after its own steps and the live feed's), for a reload offline. */
export function keepCase(answer: CaseWithTimeline) {
  if (keeping) void rememberAnswer(casePath(answer.case.id), answer).catch(() => undefined);
}

const casePath = (id: string) => `/api/cases/${encodeURIComponent(id)}`;

export const api = {
  me: () => kept<SignedInUser>('/api/auth/me'),
  login: (username: string, password: string) => request<SignedInUser>('POST', '/api/auth/login', { username, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<SignedInUser>('POST', '/api/auth/password', { currentPassword, newPassword }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  cases: (date?: string) => kept<CaseList>(`/api/cases${date ? `?date=${date}` : ''}`),
  case: (id: string) => kept<CaseWithTimeline>(casePath(id)),
  schedule: (body: ScheduleCaseBody) =>
    request<CommandAnswer>('POST', '/api/cases', body, { 'idempotency-key': crypto.randomUUID() }),
  command: (caseId: string, type: CommandType, expectedVersion: number, payload: Record<string, unknown>, occurredAt?: string) =>
    request<CommandAnswer>(
      'POST',
      `/api/cases/${encodeURIComponent(caseId)}/commands`,
      { type, expectedVersion, ...(occurredAt ? { occurredAt } : {}), ...payload },
      { 'idempotency-key': crypto.randomUUID() },
    ),
  importSchedule: (csv: string, mode: 'preview' | 'import') =>
    request<ScheduleImportAnswer>('POST', '/api/schedule/import', { csv, mode }, mode === 'import' ? { 'idempotency-key': crypto.randomUUID() } : {}),
  /** A command whose body and key are already fixed (the outbox sends the same ones on every attempt). */
  send: (caseId: string, body: CommandBody, key: string) =>
    request<CommandAnswer>('POST', `${casePath(caseId)}/commands`, body, { 'idempotency-key': key }),
  rooms: () => kept<{ rooms: Room[] }>('/api/rooms'),
  unit: () => request<UnitIdentityRecord>('GET', '/api/unit'),
  equipment: () => request<EquipmentRecord>('GET', '/api/unit/equipment'),
  roomReady: (roomId: string) =>
    request<RoomAnswer>('POST', `/api/rooms/${encodeURIComponent(roomId)}/commands`, { type: 'room_ready' }, { 'idempotency-key': crypto.randomUUID() }),
};
