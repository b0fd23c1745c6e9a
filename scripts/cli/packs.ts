import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type LayoutPreset, parsePreset } from "../../src/core/mapping";
import { type CompiledPack, compilePack, type PackDefinition, parsePack } from "../../src/core/rules";
import { usageError } from "./args";

/** The repository's rules/ folder: the built-in packs and layout presets the Worker bundles. */
const RULES_DIR = path.join(import.meta.dirname, "..", "..", "rules");

let builtins: Map<string, PackDefinition> | undefined;

/** The built-in packs, reviewed and so trusted (their patterns may use the native engine), as the Worker parses them. */
function builtinPacks(): Map<string, PackDefinition> {
  if (builtins) return builtins;
  builtins = new Map();
  for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith(".yaml"))) {
    const def = parsePack(readFileSync(path.join(RULES_DIR, file), "utf8"), { trusted: true });
    builtins.set(def.id, def);
  }
  return builtins;
}

/** The layout presets (Bling, Tiny, Shopify…) from rules/layouts, as the Worker loads them. */
export function builtinLayoutPresets(): LayoutPreset[] {
  const dir = path.join(RULES_DIR, "layouts");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parsePreset(readFileSync(path.join(dir, f), "utf8")));
}

/**
 * A built-in pack by id, or the user's own pack by path (which may extend built-in ones). Throws
 * PackError for a pack that does not parse or compile, and a usage error for an unknown one.
 */
export function loadPack(packArg: string): CompiledPack {
  const known = builtinPacks();
  let root: PackDefinition | undefined;
  if (existsSync(packArg)) {
    root = parsePack(readFileSync(packArg, "utf8"), { format: packArg.toLowerCase().endsWith(".json") ? "json" : "yaml" });
  } else {
    root = known.get(packArg);
  }
  if (!root) {
    const ids = [...known.keys()].join(", ");
    throw usageError(
      `There is no built-in pack or file "${packArg}". Built-in packs: ${ids}; or give the path of your YAML/JSON pack.`,
      `Não há pacote embutido nem arquivo "${packArg}". Pacotes embutidos: ${ids}; ou informe o caminho do seu pacote YAML/JSON.`,
    );
  }
  const own = root;
  return compilePack(own, (id) => (id === own.id ? own : known.get(id)));
}

/** Checks the category against the pack now, so a typo is a clear usage error rather than a failure mid-file. */
export function checkCategory(pack: CompiledPack, category: string | undefined): void {
  if (category === undefined || pack.categories.some((c) => c.id === category)) return;
  const list = pack.categories.map((c) => `${c.id} (${c.name})`).join(", ");
  throw usageError(
    list ? `The pack ${pack.id} has no category ${category}. Its categories: ${list}.` : `The pack ${pack.id} has no categories; leave --category out.`,
    list ? `O pacote ${pack.id} não tem a categoria ${category}. As categorias dele: ${list}.` : `O pacote ${pack.id} não tem categorias; não use --category.`,
  );
}
