import { goto } from '$app/navigation';
import type {
  CaseList,
  CaseWithTimeline,
  CommandAnswer,
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
    if (res.status === 401 && !path.startsWith('/api/auth/')) sessionExpired();
    // A one-time password opens nothing else: the only way on is choosing one's own.
    if (error.code === 'password_change_required' && location.pathname !== '/password') void goto('/password');
    throw error;
  }
  return parsed as T;
}

export const api = {
  me: () => request<SignedInUser>('GET', '/api/auth/me'),
  login: (username: string, password: string) => request<SignedInUser>('POST', '/api/auth/login', { username, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<SignedInUser>('POST', '/api/auth/password', { currentPassword, newPassword }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  cases: (date?: string) => request<CaseList>('GET', `/api/cases${date ? `?date=${date}` : ''}`),
  case: (id: string) => request<CaseWithTimeline>('GET', `/api/cases/${encodeURIComponent(id)}`),
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
  rooms: () => request<{ rooms: Room[] }>('GET', '/api/rooms'),
  unit: () => request<UnitIdentityRecord>('GET', '/api/unit'),
  equipment: () => request<EquipmentRecord>('GET', '/api/unit/equipment'),
  roomReady: (roomId: string) =>
    request<RoomAnswer>('POST', `/api/rooms/${encodeURIComponent(roomId)}/commands`, { type: 'room_ready' }, { 'idempotency-key': crypto.randomUUID() }),
};
