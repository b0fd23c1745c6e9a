import { beforeEach, describe, expect, it, vi } from "vitest";
import { compilePack, parsePack, type PackDefinition } from "../../../src/core/rules";
import { registry } from "./helpers";

/** Every pattern the engine compiles, with the trust it asked for. */
const compiled = vi.hoisted(() => [] as { source: string; trusted: boolean }[]);

vi.mock("../../../src/core/regex", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../src/core/regex")>();
  return {
    ...real,
    compilePattern: (source: string, flags: string, options: { trusted: boolean }) => {
      compiled.push({ source, trusted: options.trusted });
      return real.compilePattern(source, flags, options);
    },
  };
});

const BUILTIN = `id: shop-base
name: Base
version: 1.0.0
rules:
  - { id: base.sku, field: sku, check: pattern, pattern: "^BASE-\\\\d+$" }
  - id: base.img
    field: images
    check: url
    each: true
    fix: { replace: { pattern: "^http://", with: "https://" } }
  - { id: base.brand, field: brand, check: required, when: { field: title, matches: "^Kit" } }
`;

const CUSTOM = `id: minha-loja
name: Minha loja
version: 1.0.0
extends: shop-base
rules:
  - { id: loja.sku, field: sku, check: pattern, pattern: "^LOJA-\\\\d+$" }
  - id: loja.title
    field: title
    check: normalized
    fix: { replace: { pattern: "\\\\s+!", with: "!" } }
  - { id: loja.model, field: model, check: required, when: { field: title, matches: "^Combo" } }
`;

function trustOf(...packs: PackDefinition[]): Record<string, boolean> {
  compiled.length = 0;
  compilePack(packs[packs.length - 1], registry(...packs));
  return Object.fromEntries(compiled.map((c) => [c.source, c.trusted]));
}

describe("which patterns may use the native engine", () => {
  beforeEach(() => {
    compiled.length = 0;
  });

  it("a pack is untrusted unless it is parsed as a built-in", () => {
    expect(parsePack(BUILTIN).trusted).toBeUndefined();
    expect(parsePack(BUILTIN, { trusted: true }).trusted).toBe(true);
  });

  it("patterns, replace fixes and matches conditions of a built-in pack are compiled as trusted", () => {
    expect(trustOf(parsePack(BUILTIN, { trusted: true }))).toEqual({ "^BASE-\\d+$": true, "^http://": true, "^Kit": true });
  });

  it("an account's pack is untrusted, and the built-in rules it inherits stay trusted", () => {
    const trust = trustOf(parsePack(BUILTIN, { trusted: true }), parsePack(CUSTOM));
    expect(trust).toEqual({
      "^BASE-\\d+$": true,
      "^http://": true,
      "^Kit": true,
      "^LOJA-\\d+$": false,
      "\\s+!": false,
      "^Combo": false,
    });
  });

  it("the same built-in source parsed as an account's pack is untrusted", () => {
    expect(Object.values(trustOf(parsePack(BUILTIN)))).toEqual([false, false, false]);
  });
});
