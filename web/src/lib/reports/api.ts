import type { DayReport, FollowUpList } from '$shared';
import { request } from '$lib/api/client';

export const reportsApi = {
  day: (date: string) => request<DayReport>('GET', `/api/reports/day?date=${encodeURIComponent(date)}`),
  /** Without a range the server picks one reaching back far enough for every 3-month call. */
  followUp: (range?: { from: string; to: string }) =>
    request<FollowUpList>('GET', range ? `/api/follow-up?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}` : '/api/follow-up'),
  csvUrl: (kind: 'cases' | 'freeze-cycles', from: string, to: string, lang: 'fr' | 'en') =>
    `/api/reports/${kind}.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&lang=${lang}`,
};
