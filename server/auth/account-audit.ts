import { desc, lt } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { accountAudit } from '../../db/schema';
import { CLI_ACTOR, type AccountAuditAction, type AccountAuditEntry } from '../../shared';

/** Who administers an account: a signed-in staff member, or the users CLI on the server's own machine. */
export type AuditActor = { id: string; username: string } | typeof CLI_ACTOR;

export interface AuditRecord {
  action: AccountAuditAction;
  target: { id: string; username: string };
  details?: Record<string, string | boolean>;
}

/** The only write path to the audit: an insert (the database refuses updates and deletes by trigger). */
export function appendAccountAudit(db: DB, by: AuditActor, record: AuditRecord, now: Date): void {
  db.insert(accountAudit)
    .values({
      at: now.toISOString(),
      actorId: by === CLI_ACTOR ? null : by.id,
      actor: by === CLI_ACTOR ? CLI_ACTOR : by.username,
      action: record.action,
      targetId: record.target.id,
      targetUsername: record.target.username,
      details: record.details ?? {},
    })
    .run();
}

export const AUDIT_PAGE_MAX = 200;

/** Newest first; `before` (a seq) pages back through older entries. */
export function listAccountAudit(db: DB, options: { before?: number; limit?: number } = {}): AccountAuditEntry[] {
  const limit = Math.min(Math.max(1, options.limit ?? 50), AUDIT_PAGE_MAX + 1);
  const query = db.select().from(accountAudit);
  const rows = (options.before === undefined ? query : query.where(lt(accountAudit.seq, options.before)))
    .orderBy(desc(accountAudit.seq))
    .limit(limit)
    .all();
  return rows.map((r) => ({ ...r, details: r.details as AccountAuditEntry['details'] }));
}

/** Every entry, oldest first, for the CLI's export. */
export function allAccountAudit(db: DB): AccountAuditEntry[] {
  return db
    .select()
    .from(accountAudit)
    .orderBy(accountAudit.seq)
    .all()
    .map((r) => ({ ...r, details: r.details as AccountAuditEntry['details'] }));
}
