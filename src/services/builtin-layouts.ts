import bling from "../../rules/layouts/bling.yaml";
import googleMerchantPtBr from "../../rules/layouts/google-merchant-pt-br.yaml";
import googleMerchant from "../../rules/layouts/google-merchant.yaml";
import mercadolivre from "../../rules/layouts/mercadolivre.yaml";
import nuvemshop from "../../rules/layouts/nuvemshop.yaml";
import shopee from "../../rules/layouts/shopee.yaml";
import shopifyLegacy from "../../rules/layouts/shopify-legacy.yaml";
import shopify from "../../rules/layouts/shopify.yaml";
import tiny from "../../rules/layouts/tiny.yaml";
import { type LayoutPreset, parsePreset } from "../core/mapping";

/** The layout presets bundled with the Worker (rules/layouts/*.yaml, bundled as text like the rule packs). */
const SOURCES: readonly string[] = [bling, tiny, mercadolivre, shopee, googleMerchant, googleMerchantPtBr, nuvemshop, shopify, shopifyLegacy];

let parsed: readonly LayoutPreset[] | undefined;

/** Parsed on first use and kept for the isolate's life; a broken preset file fails loudly here (and in tests). */
export function builtinPresets(): readonly LayoutPreset[] {
  parsed ??= SOURCES.map(parsePreset);
  return parsed;
}

export function builtinPreset(id: string): LayoutPreset | undefined {
  return builtinPresets().find((p) => p.id === id);
}
