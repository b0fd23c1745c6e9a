import { describe, expect, it } from "vitest";
import { isValidGtin } from "../../../src/core/rules";
import { passes, run } from "./helpers";

describe("isValidGtin", () => {
  it.each([
    ["7891000315507", "EAN-13"],
    ["036000291452", "UPC-A"],
    ["96385074", "EAN-8"],
    ["10012345678902", "GTIN-14"],
    ["4006381333931", "EAN-13"],
    ["00000000000000", "all zeros GTIN-14"],
  ])("accepts %s (%s)", (code) => {
    expect(isValidGtin(code)).toBe(true);
  });

  it.each([
    ["7891000315508", "wrong EAN-13 check digit"],
    ["036000291453", "wrong UPC-A check digit"],
    ["96385075", "wrong EAN-8 check digit"],
    ["10012345678903", "wrong GTIN-14 check digit"],
    ["789100031550", "12 digits that are a truncated EAN-13"],
    ["1234567", "7 digits"],
    ["789100031550700", "15 digits"],
    ["", "empty"],
    ["789-1000315507", "hyphen"],
    [" 7891000315507", "leading space"],
    ["789100031550a", "letter"],
    ["７８９１０００３１５５０７", "full-width digits"],
  ])("rejects %s (%s)", (code) => {
    expect(isValidGtin(code)).toBe(false);
  });
});

describe("gtin check", () => {
  const rule = { field: "gtin", check: "gtin" };

  it("accepts valid codes as strings, keeping leading zeros", () => {
    expect(passes(rule, "036000291452")).toBe(true);
    expect(passes(rule, "07891000315507")).toBe(true); // EAN-13 padded to GTIN-14
  });

  it("accepts a JSON number when its digits form a valid code", () => {
    expect(passes(rule, 7891000315507)).toBe(true);
    expect(passes(rule, 7891000315508)).toBe(false);
  });

  it("rejects wrong check digits and formatted codes", () => {
    expect(passes(rule, "7891000315508")).toBe(false);
    expect(passes(rule, "7891 0003 1550 7")).toBe(false);
  });

  it("skips a missing or blank value (that is the required check's job)", () => {
    expect(passes(rule, undefined)).toBe(true);
    expect(passes(rule, "  ")).toBe(true);
  });

  it("suggests the digits-only code when a digits_only fix makes it valid", () => {
    const r = run({ ...rule, fix: "digits_only" }, { gtin: "789-1000-31550-7" });
    expect(r.issues[0]).toMatchObject({ field: "gtin", value: "789-1000-31550-7", suggestion: "7891000315507" });
    const bad = run({ ...rule, fix: "digits_only" }, { gtin: "789-1000-31550-8" });
    expect(bad.issues[0].suggestion).toBeUndefined(); // the fixed value would still fail
  });
});
