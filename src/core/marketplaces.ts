/** Marketplaces with a built-in rule pack, in the order templates and docs list them. */
export const MARKETPLACES = ["mercadolivre", "shopee", "google-merchant"] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/** "mercadolivre, shopee, google-merchant" — for descriptions and messages. */
export const MARKETPLACE_LIST = MARKETPLACES.join(", ");
