CREATE TABLE `rule_pack_revisions` (
	`account_id` text NOT NULL,
	`pack_id` text NOT NULL,
	`revision` integer NOT NULL,
	`source` text NOT NULL,
	`format` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `pack_id`, `revision`)
);
--> statement-breakpoint
CREATE INDEX `rule_pack_revisions_pack_idx` ON `rule_pack_revisions` (`account_id`,`pack_id`);--> statement-breakpoint
CREATE TABLE `rule_packs` (
	`account_id` text NOT NULL,
	`pack_id` text NOT NULL,
	`revision` integer NOT NULL,
	`name` text NOT NULL,
	`extends` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	PRIMARY KEY(`account_id`, `pack_id`)
);
