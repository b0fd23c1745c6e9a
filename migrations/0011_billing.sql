CREATE TABLE `usage_holds` (
	`account_id` text NOT NULL,
	`hold_key` text NOT NULL,
	`records` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `hold_key`)
);
--> statement-breakpoint
CREATE INDEX `usage_holds_expires_idx` ON `usage_holds` (`expires_at`);--> statement-breakpoint
CREATE TABLE `usage_hours` (
	`account_id` text NOT NULL,
	`hour` integer NOT NULL,
	`records` integer NOT NULL,
	PRIMARY KEY(`account_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `usage_receipts` (
	`account_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`source` text NOT NULL,
	`records` integer NOT NULL,
	`hour` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `dedupe_key`)
);
--> statement-breakpoint
CREATE INDEX `usage_receipts_created_idx` ON `usage_receipts` (`created_at`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`stripe_subscription_id` text,
	`number` text,
	`status` text NOT NULL,
	`amount_due` integer NOT NULL,
	`amount_paid` integer NOT NULL,
	`total` integer NOT NULL,
	`currency` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`hosted_invoice_url` text,
	`invoice_pdf` text,
	`created_at` integer NOT NULL,
	`updated_from_event_created` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `invoices_account_idx` ON `invoices` (`account_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `meter_reports` (
	`account_id` text NOT NULL,
	`hour` integer NOT NULL,
	`identifier` text NOT NULL,
	`value` integer NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	PRIMARY KEY(`account_id`, `hour`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `meter_reports_unsent_idx` ON `meter_reports` (`sent_at`,`hour`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`created` integer NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stripe_events_processed_idx` ON `stripe_events` (`processed_at`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`account_id` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`stripe_subscription_id` text,
	`plan` text,
	`status` text DEFAULT 'none' NOT NULL,
	`stripe_status` text,
	`current_period_start` integer,
	`current_period_end` integer,
	`previous_period_start` integer,
	`previous_period_end` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`past_due_since` integer,
	`updated_from_event_created` integer,
	`spend_cap_cents` integer,
	`currency` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_customer_unique` ON `subscriptions` (`stripe_customer_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_subscription_idx` ON `subscriptions` (`stripe_subscription_id`);