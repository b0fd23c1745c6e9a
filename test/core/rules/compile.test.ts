import { beforeEach, describe, expect, it } from "vitest";
import { clearPackCache, compilePack, getCompiledPack, PackError, parsePack, type PackProblem } from "../../../src/core/rules";
import { registry } from "./helpers";

const common = parsePack(`
id: common
name: Common
version: 1.0.0
rules:
  - { id: common.title.required, field: title, check: required }
  - { id: common.images.url, field: images, check: url, each: true }
  - { id: common.gtin, field: gtin, check: gtin }
`);

const ml = parsePack(`
id: mercadolivre
name: Mercado Livre
version: 2.1.0
extends: common
rules:
  - id: ml.title.max_length
    field: title
    check: max_length
    max: 60
categories:
  MLB1055:
    name: Celulares e Smartphones
    rules:
      - { id: ml.mlb1055.brand, field: attributes.BRAND, check: required }
overrides:
  - { id: common.images.url, severity: warning }
  - { id: common.gtin, disabled: true }
`);

const mlPlus = parsePack(`
id: ml-plus
name: ML Plus
version: 1.0.0
extends: [mercadolivre]
rules:
  - { id: plus.sku, field: sku, check: required }
categories:
  MLB1055:
    rules:
      - { id: plus.mlb1055.model, field: attributes.MODEL, check: required }
  MLB1000:
    name: Eletrônicos
    rules: []
overrides:
  - { id: common.images.url, severity: info }
`);

function problems(fn: () => unknown): PackProblem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PackError) return e.problems;
    throw e;
  }
  throw new Error("expected a PackError");
}

describe("extends, overrides and categories", () => {
  const resolve = registry(common, ml, mlPlus);

  it("runs parents' rules first, then the pack's, then the category's", () => {
    const pack = compilePack(mlPlus, resolve);
    expect(pack.rules().map((r) => r.id)).toEqual(["common.title.required", "common.images.url", "ml.title.max_length", "plus.sku"]);
    expect(pack.rules("MLB1055").map((r) => r.id)).toEqual([
      "common.title.required",
      "common.images.url",
      "ml.title.max_length",
      "plus.sku",
      "ml.mlb1055.brand",
      "plus.mlb1055.model",
    ]);
  });

  it("applies overrides, the most derived pack last", () => {
    expect(compilePack(ml, resolve).rules().find((r) => r.id === "common.images.url")?.severity).toBe("warning");
    expect(compilePack(mlPlus, resolve).rules().find((r) => r.id === "common.images.url")?.severity).toBe("info");
    expect(compilePack(ml, resolve).rules().some((r) => r.id === "common.gtin")).toBe(false);
    const v = compilePack(ml, resolve).createValidator();
    expect(v.validate({ title: "x", images: ["nope"], gtin: "123" }, 1)).toMatchObject({ valid: true, issues: [{ severity: "warning" }] });
  });

  it("describes rules machine-readably", () => {
    const info = compilePack(mlPlus, resolve).rules("MLB1055");
    expect(info[2]).toEqual({
      id: "ml.title.max_length",
      field: "title",
      check: "max_length",
      params: { max: 60 },
      severity: "error",
      each: false,
      has_fix: false,
      pack: "mercadolivre",
    });
    expect(info[4]).toMatchObject({ id: "ml.mlb1055.brand", category: "MLB1055", pack: "mercadolivre" });
  });

  it("lists categories (merged across packs) and the fields the rules read", () => {
    const pack = compilePack(mlPlus, resolve);
    expect(pack.categories).toEqual([
      { id: "MLB1055", name: "Celulares e Smartphones" },
      { id: "MLB1000", name: "Eletrônicos" },
    ]);
    expect(pack.fields()).toEqual(["title", "images", "sku"]);
    expect(pack.fields("MLB1055")).toEqual(["title", "images", "sku", "attributes.BRAND", "attributes.MODEL"]);
    expect(pack.id).toBe("ml-plus");
    expect(pack.version).toBe("1.0.0");
  });

  it("fields include compare.other and when fields", () => {
    const def = parsePack(
      "id: f-pack\nname: F\nversion: 1\nrules:\n  - { id: s, field: sale_price, check: compare, op: lt, other: price }\n  - { id: w, field: warranty, check: required, when: { not: { field: condition, equals: used } } }\n",
    );
    expect(compilePack(def, () => undefined).fields()).toEqual(["sale_price", "price", "warranty", "condition"]);
  });

  it("validates with a category's rules", () => {
    const v = compilePack(mlPlus, resolve).createValidator({ category: "MLB1055" });
    expect(v.validate({ title: "x", sku: "1" }, 1).issues.map((i) => i.rule)).toEqual(["ml.mlb1055.brand", "plus.mlb1055.model"]);
  });

  it("rejects an unknown category, naming the valid ones", () => {
    const pack = compilePack(mlPlus, resolve);
    const [p] = problems(() => pack.createValidator({ category: "MLB9999" }));
    expect(p.detail).toBe('unknown category "MLB9999" for pack "ml-plus"; valid categories: MLB1055 (Celulares e Smartphones), MLB1000 (Eletrônicos)');
    expect(problems(() => compilePack(common, resolve).createValidator({ category: "X" }))[0].detail).toContain("has no categories");
  });

  it("includes a shared ancestor once (diamond)", () => {
    const a = parsePack("id: pack-a\nname: A\nversion: 1\nextends: common\nrules: [{ id: a.sku, field: sku, check: required }]\n");
    const b = parsePack("id: pack-b\nname: B\nversion: 1\nextends: [common, pack-a]\nrules: [{ id: b.brand, field: brand, check: required }]\n");
    const ids = compilePack(b, registry(common, a, b)).rules().map((r) => r.id);
    expect(ids).toEqual(["common.title.required", "common.images.url", "common.gtin", "a.sku", "b.brand"]);
  });
});

describe("compile errors", () => {
  it("unknown parent", () => {
    const [p] = problems(() => compilePack(ml, registry()));
    expect(p).toMatchObject({ detail: 'pack "mercadolivre" extends unknown pack "common"', pointer: "/extends" });
  });

  it("cycle", () => {
    const a = parsePack("id: pack-a\nname: A\nversion: 1\nextends: pack-b\n");
    const b = parsePack("id: pack-b\nname: B\nversion: 1\nextends: pack-a\n");
    const [p] = problems(() => compilePack(a, registry(a, b)));
    expect(p.detail).toBe("extends forms a cycle: pack-a → pack-b → pack-a");
  });

  it("chain deeper than maxExtendsDepth", () => {
    const packs = [parsePack("id: p0\nname: P\nversion: 1\n")];
    for (let i = 1; i <= 6; i++) packs.push(parsePack(`id: p${i}\nname: P\nversion: 1\nextends: p${i - 1}\n`));
    const resolve = registry(...packs);
    expect(() => compilePack(packs[5], resolve)).not.toThrow(); // 5 ancestors
    expect(problems(() => compilePack(packs[6], resolve))[0].detail).toBe(
      "extends is nested more than 5 levels deep: p6 → p5 → p4 → p3 → p2 → p1 → p0",
    );
  });

  it("a rule id used again in a child pack", () => {
    const child = parsePack("id: child\nname: C\nversion: 1\nextends: common\nrules:\n  - { id: common.gtin, field: gtin, check: required }\n");
    const [p] = problems(() => compilePack(child, registry(common)));
    expect(p).toMatchObject({ rule: "common.gtin", pointer: "/rules/0", line: 6 });
    expect(p.detail).toBe('rule id "common.gtin" is already defined in pack "common" (line 8)');
  });

  it("override of an unknown or own rule", () => {
    const child = parsePack(
      "id: child\nname: C\nversion: 1\nextends: common\nrules: [{ id: own, field: sku, check: required }]\noverrides:\n  - { id: common.gtn, disabled: true }\n  - { id: own, severity: info }\n",
    );
    const ps = problems(() => compilePack(child, registry(common)));
    expect(ps.map((p) => [p.rule, p.line])).toEqual([
      ["common.gtn", 7],
      ["own", 8],
    ]);
    expect(ps[0].detail).toContain('override of unknown rule "common.gtn" (did you mean "common.gtin"?)');
    expect(ps[1].detail).toContain("defined in this pack");
  });
});

describe("getCompiledPack", () => {
  beforeEach(() => clearPackCache());

  it("returns the cached pack for the same sources, even from a fresh parse", () => {
    const resolve = registry(common, ml);
    const first = getCompiledPack(ml, resolve);
    const again = getCompiledPack(parsePack(ml.source), registry(parsePack(common.source), ml));
    expect(again).toBe(first);
    expect(first.hash).toMatch(/^[0-9a-f]{28}$/);
  });

  it("compiles afresh when the pack or an ancestor changes", () => {
    const first = getCompiledPack(ml, registry(common, ml));
    const common2 = parsePack(common.source.replace("version: 1.0.0", "version: 1.0.1"));
    const second = getCompiledPack(ml, registry(common2, ml));
    expect(second).not.toBe(first);
    expect(second.hash).not.toBe(first.hash);
    expect(compilePack(ml, registry(common, ml)).hash).toBe(first.hash); // stable across compiles
  });

  it("keeps at most 64 packs, dropping the least recently used", () => {
    const defs = Array.from({ length: 65 }, (_, i) => parsePack(`id: pack-${i}\nname: P\nversion: 1\n`));
    const compiled = defs.map((d) => getCompiledPack(d, () => undefined));
    expect(getCompiledPack(defs[64], () => undefined)).toBe(compiled[64]);
    expect(getCompiledPack(defs[0], () => undefined)).not.toBe(compiled[0]); // evicted
  });

  it("does not cache failures", () => {
    expect(() => getCompiledPack(ml, registry())).toThrow(PackError);
    expect(getCompiledPack(ml, registry(common))).toBeDefined();
  });
});

describe("field access", () => {
  it("reads only own properties: inherited names are absent", async () => {
    const { compileGetter } = await import("../../../src/core/rules/canonical");
    const inherited = Object.create({ BRAND: "Herdada" }) as Record<string, unknown>;
    expect(compileGetter("attributes.BRAND")({ attributes: inherited })).toBeUndefined();
    expect(compileGetter("attributes.BRAND")({ attributes: { BRAND: "Própria" } })).toBe("Própria");
    const record = Object.create({ "attributes.BRAND": "Herdada" }) as Record<string, unknown>;
    expect(compileGetter("attributes.BRAND")(record)).toBeUndefined();
    expect(compileGetter("attributes.BRAND")({ ...record, "attributes.BRAND": undefined })).toBeUndefined();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { "attributes.BRAND": "Plana" });
    expect(compileGetter("attributes.BRAND")(bare)).toBe("Plana");
  });

  it("reads attributes.KEY nested first, then the flat dotted column; inherited names never count", async () => {
    const { compileGetter } = await import("../../../src/core/rules/canonical");
    const brand = compileGetter("attributes.BRAND");
    expect(brand({ attributes: { BRAND: "Nested" }, "attributes.BRAND": "Flat" })).toBe("Nested");
    expect(brand({ attributes: { BRAND: undefined }, "attributes.BRAND": "Flat" })).toBe("Flat");
    expect(brand({ attributes: { MODEL: "X" }, "attributes.BRAND": "Flat" })).toBe("Flat");
    expect(brand({ attributes: "not an object", "attributes.BRAND": "Flat" })).toBe("Flat");
    expect(brand({})).toBeUndefined();
    // A list's methods are inherited: not attribute values.
    expect(compileGetter("attributes.map")({ attributes: ["a"] })).toBeUndefined();
    expect(compileGetter("attributes.map")({ attributes: ["a"], "attributes.map": "Flat" })).toBe("Flat");
    expect(compileGetter("attributes.0")({ attributes: ["a"] })).toBe("a");
  });
});
