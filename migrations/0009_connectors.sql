CREATE TABLE `connector_items` (
	`connector_id` text NOT NULL,
	`item_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`job_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`connector_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `connector_oauth_states` (
	`nonce` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`connector_id` text NOT NULL,
	`verifier_sealed` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `connector_oauth_states_connector_idx` ON `connector_oauth_states` (`connector_id`);--> statement-breakpoint
CREATE INDEX `connector_oauth_states_expires_idx` ON `connector_oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `connector_pending_items` (
	`connector_id` text NOT NULL,
	`item_id` text NOT NULL,
	`account_id` text NOT NULL,
	`queued_at` integer NOT NULL,
	PRIMARY KEY(`connector_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `connector_push_items` (
	`push_id` text NOT NULL,
	`item_id` text NOT NULL,
	`part` integer NOT NULL,
	`status` text NOT NULL,
	`rows` text NOT NULL,
	`changes` text NOT NULL,
	`sent` text,
	`before` text,
	`skipped` text NOT NULL,
	`cause` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`push_id`, `item_id`),
	FOREIGN KEY (`push_id`) REFERENCES `connector_pushes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `connector_push_items_part_idx` ON `connector_push_items` (`push_id`,`part`);--> statement-breakpoint
CREATE TABLE `connector_pushes` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`connector_id` text NOT NULL,
	`job_id` text NOT NULL,
	`kind` text NOT NULL,
	`reverts_push_id` text,
	`dry_run` integer NOT NULL,
	`fields` text NOT NULL,
	`status` text NOT NULL,
	`counts` text NOT NULL,
	`error` text,
	`parts_total` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `connector_pushes_connector_idx` ON `connector_pushes` (`connector_id`,`id`);--> statement-breakpoint
CREATE INDEX `connector_pushes_status_idx` ON `connector_pushes` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `connector_syncs` (
	`job_id` text PRIMARY KEY NOT NULL,
	`connector_id` text NOT NULL,
	`account_id` text NOT NULL,
	`trigger` text NOT NULL,
	`item_ids` text,
	`push` text NOT NULL,
	`scroll_id` text,
	`pending_ids` text NOT NULL,
	`listed` integer NOT NULL,
	`chunks` integer NOT NULL,
	`complete` integer NOT NULL,
	`chunk_items` integer NOT NULL,
	`plan_failures` integer NOT NULL,
	`plan_owner` text,
	`plan_lease_until` integer,
	`created_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `connector_syncs_connector_idx` ON `connector_syncs` (`connector_id`,`job_id`);--> statement-breakpoint
CREATE TABLE `connectors` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`problem` text,
	`config` text NOT NULL,
	`rule_pack` text NOT NULL,
	`category` text,
	`mapping_id` text,
	`schedule` text,
	`next_sync_at` integer,
	`push_fields` text NOT NULL,
	`provider_user_id` text,
	`running_job_id` text,
	`last_sync_job_id` text,
	`last_sync_at` integer,
	`last_sync_status` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `connectors_account_idx` ON `connectors` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `connectors_provider_user_idx` ON `connectors` (`type`,`provider_user_id`);--> statement-breakpoint
CREATE INDEX `connectors_next_sync_idx` ON `connectors` (`next_sync_at`);--> statement-breakpoint
CREATE TABLE `job_live_rules` (
	`job_id` text NOT NULL,
	`provider` text NOT NULL,
	`category_id` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`job_id`, `provider`, `category_id`)
);
--> statement-breakpoint
CREATE TABLE `live_category_current` (
	`provider` text NOT NULL,
	`category_id` text NOT NULL,
	`hash` text NOT NULL,
	`fetched_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `category_id`)
);
--> statement-breakpoint
CREATE TABLE `live_category_rules` (
	`provider` text NOT NULL,
	`category_id` text NOT NULL,
	`hash` text NOT NULL,
	`live` text NOT NULL,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `category_id`, `hash`)
);
--> statement-breakpoint
ALTER TABLE `jobs` ADD `connector_id` text;