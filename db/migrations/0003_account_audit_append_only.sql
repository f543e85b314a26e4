-- Custom SQL migration file, put your code below! --
-- The account audit is append-only in the database too: a change or a deletion, even from the sqlite shell, is refused.
CREATE TRIGGER `account_audit_no_update` BEFORE UPDATE ON `account_audit` BEGIN SELECT RAISE(ABORT, 'account_audit is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `account_audit_no_delete` BEFORE DELETE ON `account_audit` BEGIN SELECT RAISE(ABORT, 'account_audit is append-only'); END;
