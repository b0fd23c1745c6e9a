import { describe, expect, it } from "vitest";
import { validatorFor } from "./helpers";

/** Does the rule (warranty required) run for this record? */
function runsFor(when: unknown, record: Record<string, unknown>): boolean {
  const v = validatorFor([{ id: "w", field: "warranty", check: "required", when }]);
  return v.validate(record, 1).issues.length > 0;
}

describe("when", () => {
  it("equals compares trimmed text, so numbers and booleans match their text", () => {
    const when = { field: "condition", equals: "new" };
    expect(runsFor(when, { condition: "new" })).toBe(true);
    expect(runsFor(when, { condition: " new " })).toBe(true);
    expect(runsFor(when, { condition: "New" })).toBe(false);
    expect(runsFor(when, {})).toBe(false);
    expect(runsFor({ field: "stock", equals: "0" }, { stock: 0 })).toBe(true);
    expect(runsFor({ field: "attributes.IS_KIT", equals: "true" }, { attributes: { IS_KIT: true } })).toBe(true);
  });

  it("in matches any listed value", () => {
    const when = { field: "category_id", in: ["MLB1055", "MLB1051"] };
    expect(runsFor(when, { category_id: "MLB1051" })).toBe(true);
    expect(runsFor(when, { category_id: "MLB1000" })).toBe(false);
  });

  it("exists treats blank values as missing", () => {
    expect(runsFor({ field: "gtin", exists: true }, { gtin: "789" })).toBe(true);
    expect(runsFor({ field: "gtin", exists: true }, { gtin: "  " })).toBe(false);
    expect(runsFor({ field: "gtin", exists: false }, {})).toBe(true);
  });

  it("matches tests a safe regex", () => {
    const when = { field: "title", matches: "^kit\\b", flags: "i" };
    expect(runsFor(when, { title: "Kit 3 canecas" })).toBe(true);
    expect(runsFor(when, { title: "Caneca" })).toBe(false);
  });

  it("combines with and, or, not", () => {
    const when = {
      and: [
        { field: "condition", equals: "new" },
        { or: [{ field: "brand", exists: true }, { field: "gtin", exists: true }] },
        { not: { field: "category_id", equals: "MLB-SERVICOS" } },
      ],
    };
    expect(runsFor(when, { condition: "new", brand: "Acme" })).toBe(true);
    expect(runsFor(when, { condition: "new" })).toBe(false);
    expect(runsFor(when, { condition: "new", gtin: "1", category_id: "MLB-SERVICOS" })).toBe(false);
    expect(runsFor(when, { condition: "used", brand: "Acme" })).toBe(false);
  });
});
