import common from "../../rules/common.yaml";
import googleMerchant from "../../rules/google-merchant.yaml";
import mercadolivre from "../../rules/mercadolivre.yaml";
import shopee from "../../rules/shopee.yaml";
import { type PackDefinition, parsePack } from "../core/rules";

/** The YAML sources bundled with the Worker, by pack id. */
export const BUILTIN_SOURCES: Record<string, string> = {
  common,
  mercadolivre,
  shopee,
  "google-merchant": googleMerchant,
};

const parsed = new Map<string, PackDefinition>();

/** Built-in packs are parsed on first use and kept for the isolate's life. */
export function builtinPack(id: string): PackDefinition | undefined {
  const source = BUILTIN_SOURCES[id];
  if (source === undefined) return undefined;
  let def = parsed.get(id);
  if (!def) {
    // Built-in packs are reviewed with Vitrine's code: their patterns may use the native engine.
    def = parsePack(source, { trusted: true });
    parsed.set(id, def);
  }
  return def;
}

export function isBuiltinPack(id: string): boolean {
  return id in BUILTIN_SOURCES;
}
