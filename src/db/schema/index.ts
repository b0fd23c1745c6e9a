// One file per capability; drizzle-kit reads this folder to generate migrations/.
export * from "./accounts";
export * from "./rule-packs";
export * from "./mappings";
export * from "./jobs";
export * from "./files";
export * from "./webhooks";
export * from "./sessions";
export * from "./connectors";
export * from "./billing";
export * from "./subscriptions";
export * from "./kpis";
