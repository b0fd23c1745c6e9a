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
CREATE INDEX `usage_receipts_created_idx` ON `usage_receipts` (`created_at`);