// One file per capability; drizzle-kit reads this folder to generate migrations/.
export * from "./accounts";
