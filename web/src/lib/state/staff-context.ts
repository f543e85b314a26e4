import { getContext, setContext } from 'svelte';
import type { LiveStore } from '$lib/live/live-store.svelte';

const KEY = Symbol('staff-live');

/** The staff screens share one live connection, opened by the staff layout. */
export const setStaffLive = (live: LiveStore<'staff'>) => setContext(KEY, live);
export const getStaffLive = () => getContext<LiveStore<'staff'>>(KEY);
