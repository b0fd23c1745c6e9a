ALTER TABLE `jobs` ADD `sheet_options` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `layout` text;