import { text } from 'drizzle-orm/sqlite-core';

/** Every instant is stored as an ISO-8601 UTC string: sortable, readable in the sqlite shell, exact. */
export const instant = (name: string) => text(name);
