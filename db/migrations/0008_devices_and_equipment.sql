CREATE TABLE `case_devices` (
	`case_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`gtin` text,
	`lot` text,
	`serial` text,
	`expiry` text,
	`at` text NOT NULL,
	PRIMARY KEY(`case_id`, `position`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_devices_lot_idx` ON `case_devices` (`lot`);--> statement-breakpoint
CREATE INDEX `case_devices_gtin_idx` ON `case_devices` (`gtin`,`lot`);--> statement-breakpoint
CREATE TABLE `unit_equipment` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor` text NOT NULL,
	`machines` text NOT NULL
);
--> statement-breakpoint
-- The machine list's trail is append-only in the database too, like the unit identity's.
CREATE TRIGGER `unit_equipment_no_update` BEFORE UPDATE ON `unit_equipment` BEGIN SELECT RAISE(ABORT, 'unit_equipment is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `unit_equipment_no_delete` BEFORE DELETE ON `unit_equipment` BEGIN SELECT RAISE(ABORT, 'unit_equipment is append-only'); END;
