CREATE TABLE `mapping_versions` (
	`mapping_id` text NOT NULL,
	`version` integer NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`marketplace` text NOT NULL,
	`category` text,
	`fields` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`mapping_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `mappings` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`marketplace` text NOT NULL,
	`category` text,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `mappings_account_idx` ON `mappings` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `mappings_account_marketplace_idx` ON `mappings` (`account_id`,`marketplace`,`id`);