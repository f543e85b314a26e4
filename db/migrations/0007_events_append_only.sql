-- Custom SQL migration file, put your code below! --
-- The event log is append-only in the database too: a rebuild rewrites the case projection from it, never the log itself.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events` BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events` BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
