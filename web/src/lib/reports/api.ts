import { sessionExpired } from '$lib/api/client';
import { ApiError, NetworkError, type ProblemBody } from '$lib/api/problem';
import { language } from '$lib/i18n/language.svelte';
import type { DayReport, FollowUpList } from './types';

async function getJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json', 'accept-language': language.current } });
  } catch (cause) {
    throw new NetworkError(String(cause));
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) sessionExpired();
    throw new ApiError({ ...((body as ProblemBody | null) ?? {}), status: res.status });
  }
  return body as T;
}

export const reportsApi = {
  day: (date: string) => getJson<DayReport>(`/api/reports/day?date=${encodeURIComponent(date)}`),
  /** Without a range the server picks one reaching back far enough for every 3-month call. */
  followUp: (range?: { from: string; to: string }) =>
    getJson<FollowUpList>(range ? `/api/follow-up?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}` : '/api/follow-up'),
  csvUrl: (kind: 'cases' | 'freeze-cycles', from: string, to: string, lang: 'fr' | 'en') =>
    `/api/reports/${kind}.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&lang=${lang}`,
};
