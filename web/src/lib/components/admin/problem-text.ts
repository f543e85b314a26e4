import { ApiError } from '$lib/api/problem';
import { language } from '$lib/i18n/language.svelte';

/** What to show next to a form that failed: the server's own (translated) words, or that it cannot be reached. */
export const problemText = (error: unknown): string => (error instanceof ApiError ? error.detail : language.t('app.unreachable'));
