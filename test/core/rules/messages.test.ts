import { describe, expect, it } from "vitest";
import { compilePack } from "../../../src/core/rules";
import { validatorFor, yamlPack } from "./helpers";

const record = { title: "Caneca de porcelana" };
const max = (message?: unknown) => [{ id: "t.max", field: "title", check: "max_length", max: 10, ...(message ? { message } : {}) }];

describe("locale selection", () => {
  it("defaults to English and writes Portuguese on request", () => {
    expect(validatorFor(max()).validate(record, 1).issues[0].message).toBe(
      "The title field is too long: it has 19 characters and at most 10 are allowed.",
    );
    expect(validatorFor(max(), { locale: "pt-BR" }).validate(record, 1).issues[0].message).toBe(
      "O campo title está longo demais: tem 19 caracteres e o máximo permitido é 10.",
    );
  });

  it("uses the pack's locale_default when no locale is asked for", () => {
    const def = yamlPack("locale_default: pt-BR\nrules:\n  - { id: t.req, field: title, check: required }\n");
    const pack = compilePack(def, () => undefined);
    expect(pack.createValidator().validate({}, 1).issues[0].message).toBe("O campo title é obrigatório.");
    expect(pack.createValidator({ locale: "en" }).validate({}, 1).issues[0].message).toBe("The title field is required.");
  });

  it("falls back to English for an unsupported locale", () => {
    const v = validatorFor(max(), { locale: "fr" as never });
    expect(v.validate(record, 1).issues[0].message).toMatch(/^The title field/);
  });
});

describe("rule messages", () => {
  const both = { en: "Title too long ({length}/{max}).", "pt-BR": "Título longo demais ({length}/{max})." };

  it("use the requested locale", () => {
    expect(validatorFor(max(both), { locale: "pt-BR" }).validate(record, 1).issues[0].message).toBe("Título longo demais (19/10).");
    expect(validatorFor(max(both)).validate(record, 1).issues[0].message).toBe("Title too long (19/10).");
  });

  it("fall back to the rule's English text when pt-BR is missing", () => {
    expect(validatorFor(max({ en: "Too long." }), { locale: "pt-BR" }).validate(record, 1).issues[0].message).toBe("Too long.");
  });

  it("fall back to the default message when the rule only has another locale", () => {
    expect(validatorFor(max({ "pt-BR": "Longo." })).validate(record, 1).issues[0].message).toMatch(/^The title field is too long/);
  });

  it("a plain string serves every locale", () => {
    expect(validatorFor(max("Max {max}!"), { locale: "pt-BR" }).validate(record, 1).issues[0].message).toBe("Max 10!");
  });
});

describe("placeholders", () => {
  it("fill {field} {value} {rule} {suggestion} and parameters; {{ }} are literal braces", () => {
    const v = validatorFor([
      {
        id: "t.max",
        field: "title",
        check: "max_length",
        max: 10,
        fix: { truncate: { max: 10 } },
        message: "{{{rule}}} {field}={value} ({length}>{max}) → {suggestion}",
      },
    ]);
    expect(v.validate(record, 1).issues[0].message).toBe("{t.max} title=Caneca de porcelana (19>10) → Caneca de");
  });

  it("fill {values} as a readable list and numbers in the locale's format", () => {
    const v = validatorFor(
      [
        { id: "c", field: "condition", check: "one_of", values: ["novo", "usado"], message: { "pt-BR": "Use {values}." } },
        { id: "p", field: "price", check: "range", min: 0.5, message: { "pt-BR": "Mínimo {min}." } },
      ],
      { locale: "pt-BR" },
    );
    expect(v.validate({ condition: "x", price: 0.1 }, 1).issues.map((i) => i.message)).toEqual(["Use novo ou usado.", "Mínimo 0,5."]);
  });

  it("shorten long values", () => {
    const v = validatorFor([{ id: "p", field: "description", check: "pattern", pattern: "^x" }]);
    const msg = v.validate({ description: "a".repeat(500) }, 1).issues[0].message;
    expect(msg.length).toBeLessThan(160);
    expect(msg).toContain("…");
  });

  it("fill {first_row} for unique and {word} for forbidden words", () => {
    const v = validatorFor([
      { id: "u", field: "sku", check: "unique", message: { en: "Duplicate of row {first_row}." } },
      { id: "f", field: "title", check: "forbidden_words", words: ["grátis"], message: "No {word}!" },
    ]);
    v.validate({ sku: "1" }, 2);
    expect(v.validate({ sku: "1", title: "Frete gratis" }, 5).issues.map((i) => i.message)).toEqual(["Duplicate of row 2.", "No grátis!"]);
  });
});
