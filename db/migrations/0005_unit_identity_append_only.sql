-- Custom SQL migration file, put your code below! --
-- The unit identity's trail is append-only in the database too: an edit is a new row, never a change of an old one.
CREATE TRIGGER `unit_identity_no_update` BEFORE UPDATE ON `unit_identity` BEGIN SELECT RAISE(ABORT, 'unit_identity is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `unit_identity_no_delete` BEFORE DELETE ON `unit_identity` BEGIN SELECT RAISE(ABORT, 'unit_identity is append-only'); END;
