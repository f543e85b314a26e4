import { getContext, setContext } from 'svelte';
import type { CaseState } from '$shared';
import type { LiveStore } from '$lib/live/live-store.svelte';

const KEY = Symbol('staff-live');

/** The staff screens share one live connection, opened by the staff layout. */
export const setStaffLive = (live: LiveStore<CaseState>) => setContext(KEY, live);
export const getStaffLive = () => getContext<LiveStore<CaseState>>(KEY);
