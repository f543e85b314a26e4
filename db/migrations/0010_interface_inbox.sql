CREATE TABLE `case_appointments` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`case_id` text NOT NULL,
	PRIMARY KEY(`kind`, `value`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_appointments_case_idx` ON `case_appointments` (`case_id`);--> statement-breakpoint
CREATE TABLE `interface_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`sender` text NOT NULL,
	`message_id` text NOT NULL,
	`received_at` text NOT NULL,
	`raw` text NOT NULL,
	`charset` text NOT NULL,
	`message_type` text NOT NULL,
	`status` text NOT NULL,
	`rule` text,
	`params` text,
	`case_id` text,
	`applied_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interface_messages_sender_uq` ON `interface_messages` (`channel`,`sender`,`message_id`);--> statement-breakpoint
CREATE INDEX `interface_messages_status_idx` ON `interface_messages` (`status`,`id`);