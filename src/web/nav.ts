import type { MessageKey } from "./messages";

export interface NavEntry {
  path: string;
  label: MessageKey;
}

/**
 * The dashboard's navigation, in order. Only pages that exist are listed: a page adds its entry
 * here when it is built (the catalog upload, validations, mappings, rule packs, webhooks and API
 * keys pages go between "Get started" and "Account", in that order; their labels are already in
 * the catalogue: nav.catalog, nav.jobs, nav.mappings, nav.rulePacks, nav.webhooks, nav.apiKeys).
 */
export const NAV: NavEntry[] = [
  { path: "/app", label: "nav.start" },
  { path: "/app/upload", label: "nav.catalog" },
  { path: "/app/jobs", label: "nav.jobs" },
  { path: "/app/connectors", label: "nav.connectors" },
  { path: "/app/mappings", label: "nav.mappings" },
  { path: "/app/rule-packs", label: "nav.rulePacks" },
  { path: "/app/webhooks", label: "nav.webhooks" },
  { path: "/app/api-keys", label: "nav.apiKeys" },
  { path: "/app/billing", label: "nav.billing" },
  { path: "/app/account", label: "nav.account" },
];

/**
 * Capabilities that will get their own pages: shown as plain, marked text so the navigation keeps
 * their place, never as links to pages that do not exist. Every planned page exists now.
 */
export const PLANNED: MessageKey[] = [];

/** The entry a path belongs to: the longest entry path that is the path itself or a folder of it. */
export function activeEntry(path: string): NavEntry | undefined {
  return NAV.filter((e) => path === e.path || path.startsWith(e.path + "/"))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
