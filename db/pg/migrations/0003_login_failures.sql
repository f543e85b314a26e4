-- Failed sign-ins for usernames no account holds, counted like an account's (staff.failed_logins,
-- staff.locked_until) so a lock never tells whether a username exists. On SQLite one process keeps
-- them in memory; here every instance must count together, so they are rows. Rows unused for a day
-- are swept (server/auth/pg-accounts.ts).
CREATE TABLE "login_failures" (
	"username" text PRIMARY KEY,
	"failures" integer NOT NULL,
	"locked_until" text,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_failures_updated_idx" ON "login_failures" ("updated_at");
