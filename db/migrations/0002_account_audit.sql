CREATE TABLE `account_audit` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target_id` text NOT NULL,
	`target_username` text NOT NULL,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `account_audit_target_idx` ON `account_audit` (`target_id`,`seq`);--> statement-breakpoint
ALTER TABLE `staff` ADD `must_change_password` integer DEFAULT false NOT NULL;