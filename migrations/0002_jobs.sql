CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`job_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_job_idx` ON `dead_letters` (`job_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status` text NOT NULL,
	`rule_pack` text NOT NULL,
	`rule_pack_revision` integer,
	`rule_pack_hash` text NOT NULL,
	`category` text,
	`mapping_id` text,
	`mapping_version` integer,
	`apply_fixes` integer NOT NULL,
	`locale` text NOT NULL,
	`source_type` text NOT NULL,
	`file_id` text,
	`input_key` text NOT NULL,
	`priority` text NOT NULL,
	`summary` text,
	`error` text,
	`rows_total` integer,
	`chunks_total` integer,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_account_idx` ON `jobs` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_account_status_idx` ON `jobs` (`account_id`,`status`,`id`);