import { describe, expect, it } from "vitest";
import { builtinPreset, builtinPresets } from "../../src/services/builtin-layouts";
import { LAYOUT_SOURCES } from "../core/mapping/layouts";

describe("the layout presets bundled with the Worker", () => {
  it("are the files the core tests load, each parsed", () => {
    expect(builtinPresets().map((p) => p.id)).toEqual(Object.keys(LAYOUT_SOURCES));
    expect(builtinPreset("shopify")).toMatchObject({ verified: true, version: "1.0.0" });
    expect(builtinPreset("tray")).toBeUndefined();
  });
});
