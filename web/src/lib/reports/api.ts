import type { DayReport, DoseReport, FollowUpList, GroupBy, RangeReport, RecallAnswer } from '$shared';
import { request } from '$lib/api/client';

const recallQuery = ({ lot, gtin }: { lot: string; gtin: string }) =>
  new URLSearchParams([...(lot.trim() ? [['lot', lot.trim()]] : []), ...(gtin.trim() ? [['gtin', gtin.trim()]] : [])]).toString();

const rangeQuery = (from: string, to: string, groupBy: GroupBy) => new URLSearchParams({ from, to, groupBy }).toString();

export const reportsApi = {
  day: (date: string) => request<DayReport>('GET', `/api/reports/day?date=${encodeURIComponent(date)}`),
  /** Without a range the server picks one reaching back far enough for every 3-month call. */
  followUp: (range?: { from: string; to: string }) =>
    request<FollowUpList>('GET', range ? `/api/follow-up?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}` : '/api/follow-up'),
  range: (from: string, to: string, groupBy: GroupBy) => request<RangeReport>('GET', `/api/reports/range?${rangeQuery(from, to, groupBy)}`),
  rangeCsvUrl: (from: string, to: string, groupBy: GroupBy, lang: 'fr' | 'en') => `/api/reports/range.csv?${rangeQuery(from, to, groupBy)}&lang=${lang}`,
  doses: (from: string, to: string) => request<DoseReport>('GET', `/api/reports/doses?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  recall: (query: { lot: string; gtin: string }) => request<RecallAnswer>('GET', `/api/devices/cases?${recallQuery(query)}`),
  recallCsvUrl: (query: { lot: string; gtin: string }, lang: 'fr' | 'en') => `/api/devices/cases?${recallQuery(query)}&format=csv&lang=${lang}`,
  csvUrl: (kind: 'cases' | 'freeze-cycles', from: string, to: string, lang: 'fr' | 'en') =>
    `/api/reports/${kind}.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&lang=${lang}`,
};
