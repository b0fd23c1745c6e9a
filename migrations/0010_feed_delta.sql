CREATE TABLE `connector_sync_keys` (
	`job_id` text NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`job_id`, `key`)
);
--> statement-breakpoint
ALTER TABLE `connector_syncs` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `connector_syncs` ADD `feed` text;--> statement-breakpoint
ALTER TABLE `connector_syncs` ADD `delta` text;--> statement-breakpoint
ALTER TABLE `connector_syncs` ADD `keys_stored` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `connectors` ADD `secret_sealed` text;