import { text } from 'drizzle-orm/pg-core';

/**
 * Instants stay ISO-8601 UTC strings on PostgreSQL too: the domain, the exports and the wire read the
 * same value whichever store runs, and the strings sort in time order as timestamptz would.
 */
export const instant = (name: string) => text(name);
