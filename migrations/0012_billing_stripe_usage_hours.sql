CREATE TABLE `usage_hours` (
	`account_id` text NOT NULL,
	`hour` integer NOT NULL,
	`records` integer NOT NULL,
	PRIMARY KEY(`account_id`, `hour`)
);
