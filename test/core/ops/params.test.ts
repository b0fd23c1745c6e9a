import { describe, expect, it } from "vitest";
import { type ParamSpec, readParam } from "../../../src/core/ops/params";
import type { Text } from "../../../src/core/text";

/** Reads one value; returns it, or the problem reported. */
function read(spec: ParamSpec, raw: unknown, reading: "text" | "json") {
  const problems: Text[] = [];
  const value = readParam("p", spec, raw, "/p", (t) => problems.push(t), reading);
  return problems.length ? { problem: problems[0] } : { value };
}

describe("one parameter spec, read from YAML text or from JSON", () => {
  it("YAML scalars arrive as text and are converted; JSON values must already have their type", () => {
    expect(read({ kind: "int", min: 1 }, "60", "text")).toEqual({ value: 60 });
    expect(read({ kind: "int", min: 1 }, "60", "json").problem?.en).toBe('"p" must be a whole number of at least 1');
    expect(read({ kind: "int", min: 1, max: 10 }, 60, "json").problem?.en).toBe('"p" must be a whole number from 1 to 10');
    expect(read({ kind: "bool" }, "true", "text")).toEqual({ value: true });
    expect(read({ kind: "bool" }, "true", "json").problem?.["pt-BR"]).toBe('"p" deve ser true ou false');
    expect(read({ kind: "number" }, "0.5", "text")).toEqual({ value: 0.5 });
    expect(read({ kind: "text" }, 12, "text")).toEqual({ value: "12" });
    expect(read({ kind: "text" }, 12, "json").problem?.en).toBe('"p" must be a text value');
  });

  it("lists the allowed values, with a suggestion when the value looks like a typo", () => {
    const spec: ParamSpec = { kind: "text", values: ["auto", "pt-BR", "en"] };
    expect(read(spec, "fr", "json").problem?.en).toBe('"p" must be one of auto, pt-BR, en');
    expect(read(spec, "pt-br", "json").problem).toEqual({
      en: '"p" must be one of auto, pt-BR, en (did you mean "pt-BR"?)',
      "pt-BR": '"p" deve ser um destes: auto, pt-BR, en (quis dizer "pt-BR"?)',
    });
  });

  it("maps: YAML targets are text; JSON targets may be any scalar; limits on size", () => {
    expect(read({ kind: "map" }, { novo: "new" }, "text")).toEqual({ value: { novo: "new" } });
    expect(read({ kind: "map" }, { sim: true }, "json")).toEqual({ value: { sim: true } });
    expect(read({ kind: "map" }, { sim: ["x"] }, "text").problem?.en).toBe('"p" target for "sim" must be a text value');
    expect(read({ kind: "map", maxEntries: 1 }, { a: "1", b: "2" }, "json").problem?.en).toBe('"p" must have 1 to 1 entries');
    expect(read({ kind: "map" }, {}, "text").problem?.en).toBe('"p" must have at least one "from": "to" pair');
  });
});
