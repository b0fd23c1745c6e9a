import { describe, expect, it } from "vitest";
import { parsePack } from "../../src/core/rules";
import { BUILTIN_SOURCES, builtinPack } from "../../src/services/builtin-packs";

describe("built-in packs", () => {
  it("are parsed as trusted (their patterns may use the native engine); the same source sent by an account is not", () => {
    for (const id of Object.keys(BUILTIN_SOURCES)) expect(builtinPack(id)?.trusted, id).toBe(true);
    expect(parsePack(BUILTIN_SOURCES.mercadolivre).trusted).toBeUndefined();
  });
});
