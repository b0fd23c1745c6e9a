import { describe, expect, it } from "vitest";
import { validatorFor } from "./helpers";

const titleRules = [
  { id: "title.required", field: "title", check: "required" },
  { id: "title.max", field: "title", check: "max_length", max: 20, fix: ["trim", { truncate: { max: 20 } }] },
];

describe("validity", () => {
  it("a record is invalid only with an unfixed error", () => {
    const v = validatorFor([
      { id: "w", field: "brand", check: "required", severity: "warning" },
      { id: "i", field: "model", check: "required", severity: "info" },
    ]);
    const r = v.validate({}, 1);
    expect(r.valid).toBe(true);
    expect(r.issues.map((i) => [i.rule, i.severity])).toEqual([
      ["w", "warning"],
      ["i", "info"],
    ]);
    const e = validatorFor([{ id: "e", field: "brand", check: "required" }]).validate({}, 1);
    expect(e.valid).toBe(false);
  });

  it("returns no issues and no corrected record for a clean record", () => {
    const v = validatorFor(titleRules);
    const r = v.validate({ title: "Caneca" }, 1);
    expect(r).toEqual({ valid: true, issues: [] });
    expect(r.corrected).toBeUndefined();
  });

  it("clean records share one frozen result (no allocation per record)", () => {
    const v = validatorFor(titleRules);
    const a = v.validate({ title: "Caneca" }, 1);
    expect(v.validate({ title: "Prato" }, 2)).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.issues)).toBe(true);
  });

  it("issues carry row, field, rule, severity, message and the original value, in rule order", () => {
    const v = validatorFor([
      { id: "a", field: "title", check: "min_length", min: 10 },
      { id: "b", field: "price", check: "range", min: 1, severity: "warning" },
    ]);
    const r = v.validate({ title: "Caneca", price: "0" }, 42);
    expect(r.issues).toEqual([
      {
        row: 42,
        field: "title",
        rule: "a",
        severity: "error",
        message: "The title field is too short: it has 6 characters and needs at least 10.",
        value: "Caneca",
      },
      { row: 42, field: "price", rule: "b", severity: "warning", message: "The price field must be at least 1, but it is 0.", value: "0" },
    ]);
  });

  it("does not modify the input record", () => {
    const v = validatorFor(titleRules, { applyFixes: true });
    const record = { title: "  Caneca de porcelana azul grande  ", attributes: { BRAND: "x" } };
    const copy = structuredClone(record);
    v.validate(record, 1);
    expect(record).toEqual(copy);
  });
});

describe("fixes without applyFixes", () => {
  it("suggest the fixed value but keep the issue counting against validity", () => {
    const r = validatorFor(titleRules).validate({ title: "Caneca de porcelana azul grande" }, 1);
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ rule: "title.max", suggestion: "Caneca de porcelana" });
    expect(r.issues[0].fixed).toBeUndefined();
    expect(r.corrected).toBeUndefined();
  });

  it("every rule sees the original value", () => {
    const v = validatorFor([
      { id: "cond", field: "condition", check: "one_of", values: ["new", "used"], fix: { value_map: { novo: "new" } } },
      { id: "cond.when", field: "warranty", check: "required", when: { field: "condition", equals: "new" } },
    ]);
    const r = v.validate({ condition: "novo" }, 1);
    expect(r.issues.map((i) => i.rule)).toEqual(["cond"]);
  });
});

describe("fixes with applyFixes", () => {
  it("apply the fix, mark the issue fixed, and stop it counting against validity", () => {
    const r = validatorFor(titleRules, { applyFixes: true }).validate({ title: "Caneca de porcelana azul grande", sku: "1" }, 1);
    expect(r.valid).toBe(true);
    expect(r.issues[0]).toMatchObject({ rule: "title.max", value: "Caneca de porcelana azul grande", suggestion: "Caneca de porcelana", fixed: true });
    expect(r.corrected).toEqual({ title: "Caneca de porcelana", sku: "1" });
  });

  it("later rules see the corrected value (including when-conditions)", () => {
    const v = validatorFor(
      [
        { id: "cond", field: "condition", check: "one_of", values: ["new", "used"], fix: { value_map: { novo: "new" } } },
        { id: "cond.when", field: "warranty", check: "required", when: { field: "condition", equals: "new" } },
        { id: "title.tidy", field: "title", check: "normalized", fix: "trim" },
        { id: "title.max", field: "title", check: "max_length", max: 6 },
      ],
      { applyFixes: true },
    );
    const r = v.validate({ condition: "Novo", title: "  Caneca " }, 1);
    expect(r.issues.map((i) => [i.rule, i.fixed ?? false])).toEqual([
      ["cond", true],
      ["cond.when", false],
      ["title.tidy", true],
    ]);
    expect(r.valid).toBe(false); // warranty is missing
    expect(r.corrected).toEqual({ condition: "new", title: "Caneca" });
  });

  it("keeps the original value when the fixed value still fails", () => {
    const v = validatorFor([{ id: "max", field: "title", check: "max_length", max: 3, fix: "trim" }], { applyFixes: true });
    const r = v.validate({ title: " Caneca " }, 1);
    expect(r.valid).toBe(false);
    expect(r.issues[0].fixed).toBeUndefined();
    expect(r.issues[0].suggestion).toBeUndefined();
    expect(r.corrected).toEqual({ title: " Caneca " });
  });

  it("returns the record as corrected when nothing needed fixing", () => {
    const record = { title: "Caneca" };
    const r = validatorFor(titleRules, { applyFixes: true }).validate(record, 1);
    expect(r).toEqual({ valid: true, issues: [], corrected: record });
  });

  it("writes fixes into attributes without touching the caller's object", () => {
    const v = validatorFor([{ id: "brand", field: "attributes.BRAND", check: "normalized", fix: { case: "upper" } }], { applyFixes: true });
    const attrs = { BRAND: "acme", MODEL: "x1" };
    const r = v.validate({ attributes: attrs }, 1);
    expect(r.corrected).toEqual({ attributes: { BRAND: "ACME", MODEL: "x1" } });
    expect(attrs.BRAND).toBe("acme");
  });
});

describe("each", () => {
  const rules = [{ id: "img.url", field: "images", check: "url", each: true, fix: "trim" }];

  it("checks every item and names it images[i] (0-based)", () => {
    const r = validatorFor(rules).validate({ images: ["https://a.com/1.jpg", "ftp://a.com/2.jpg", " https://a.com/3.jpg"] }, 1);
    expect(r.issues.map((i) => [i.field, i.value])).toEqual([
      ["images[1]", "ftp://a.com/2.jpg"],
      ["images[2]", " https://a.com/3.jpg"],
    ]);
    expect(r.issues[1].suggestion).toBe("https://a.com/3.jpg");
  });

  it("fixes items in a copy of the list", () => {
    const images = [" https://a.com/1.jpg", "https://a.com/2.jpg"];
    const r = validatorFor(rules, { applyFixes: true }).validate({ images }, 1);
    expect(r.corrected?.images).toEqual(["https://a.com/1.jpg", "https://a.com/2.jpg"]);
    expect(images[0]).toBe(" https://a.com/1.jpg");
  });

  it("splits a CSV string into items", () => {
    const r = validatorFor(rules).validate({ images: "https://a.com/1.jpg|nope" }, 1);
    expect(r.issues.map((i) => i.field)).toEqual(["images[1]"]);
  });

  it("skips blank items and a missing list", () => {
    expect(validatorFor(rules).validate({ images: ["https://a.com/1.jpg", ""] }, 1).valid).toBe(true);
    expect(validatorFor(rules).validate({}, 1).valid).toBe(true);
  });
});

describe("records from CSV and JSON", () => {
  it("accept numbers as strings and booleans as sim/não", () => {
    const v = validatorFor([
      { id: "price", field: "price", check: "range", gt: 0 },
      { id: "stock", field: "stock", check: "type", type: "integer" },
      { id: "flag", field: "attributes.IS_KIT", check: "type", type: "boolean" },
    ]);
    expect(v.validate({ price: "10.5", stock: "3", attributes: { IS_KIT: "não" } }, 1).valid).toBe(true);
    expect(v.validate({ price: 10.5, stock: 3, attributes: { IS_KIT: false } }, 2).valid).toBe(true);
    expect(v.validate({ price: "0", stock: "3.5", attributes: { IS_KIT: "talvez" } }, 3).issues.map((i) => i.rule)).toEqual(["price", "stock", "flag"]);
  });
});
