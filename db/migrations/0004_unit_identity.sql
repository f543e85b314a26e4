CREATE TABLE `unit_identity` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor` text NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`day_phone` text NOT NULL,
	`night_phone` text NOT NULL,
	`referring_radiologist` text NOT NULL
);
