/**
 * The built-in layout presets (rules/layouts/*.yaml), loaded as text the way the Worker bundles
 * them (src/services/builtin-layouts.ts lists the same files).
 */
import bling from "../../../rules/layouts/bling.yaml?raw";
import googleMerchantPtBr from "../../../rules/layouts/google-merchant-pt-br.yaml?raw";
import googleMerchant from "../../../rules/layouts/google-merchant.yaml?raw";
import mercadolivre from "../../../rules/layouts/mercadolivre.yaml?raw";
import nuvemshop from "../../../rules/layouts/nuvemshop.yaml?raw";
import shopee from "../../../rules/layouts/shopee.yaml?raw";
import shopifyLegacy from "../../../rules/layouts/shopify-legacy.yaml?raw";
import shopify from "../../../rules/layouts/shopify.yaml?raw";
import tiny from "../../../rules/layouts/tiny.yaml?raw";
import { type LayoutPreset, parsePreset } from "../../../src/core/mapping";

export const LAYOUT_SOURCES: Record<string, string> = {
  bling,
  tiny,
  mercadolivre,
  shopee,
  "google-merchant": googleMerchant,
  "google-merchant-pt-br": googleMerchantPtBr,
  nuvemshop,
  shopify,
  "shopify-legacy": shopifyLegacy,
};

export const PRESETS: readonly LayoutPreset[] = Object.values(LAYOUT_SOURCES).map(parsePreset);

export function preset(id: string): LayoutPreset {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`no layout preset ${id}`);
  return p;
}
