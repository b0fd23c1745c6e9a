CREATE TABLE `kpi_rollups` (
	`hour` integer NOT NULL,
	`metric` text NOT NULL,
	`dimension` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`hour`, `metric`, `dimension`, `bucket`)
);
