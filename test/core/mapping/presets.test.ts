import { describe, expect, it } from "vitest";
import { compileMapping, parsePreset, PresetError } from "../../../src/core/mapping";
import { LAYOUT_SOURCES, PRESETS } from "./layouts";

describe("layout presets as data", () => {
  it("parses every built-in preset, and each compiles as a mapping", () => {
    expect(PRESETS.map((p) => p.id)).toEqual(Object.keys(LAYOUT_SOURCES));
    for (const p of PRESETS) {
      expect(() => compileMapping({ name: p.id, fields: p.fields }), p.id).not.toThrow();
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      for (const s of p.sources) expect(s.url, p.id).toMatch(/^https:\/\//);
    }
  });
});
