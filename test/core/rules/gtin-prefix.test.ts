import { describe, expect, it } from "vitest";
import { gs1Prefix, gtinPrefixKind, isNoBarcode, isValidGtin } from "../../../src/core/rules/gtin";
import { PackError } from "../../../src/core/rules";
import { passes, run, validatorFor } from "./helpers";

// Every code below has a correct GS1 check digit (asserted first), so each case tests the prefix only.
const RESTRICTED: [string, string, string][] = [
  ["0201234567899", "GTIN-13", "020"],
  ["0299999999994", "GTIN-13", "029"],
  ["0400000000015", "GTIN-13", "040"],
  ["0491234567894", "GTIN-13", "049"],
  ["2000000000015", "GTIN-13", "200"],
  ["2999999999991", "GTIN-13", "299"],
  ["212345678909", "GTIN-12 (UPC-A number system 2)", "021"],
  ["412345678903", "GTIN-12 (UPC-A number system 4)", "041"],
  ["10201234567896", "GTIN-14, indicator 1", "020"],
  ["82000000000011", "GTIN-14, indicator 8", "200"],
  ["30201234567890", "GTIN-14, indicator 3", "020"],
  ["20123451", "GTIN-8 (GS1-8 prefix 2xx)", "201"],
  ["02012346", "GTIN-8 (GS1-8 prefix 0xx)", "020"],
  ["00012348", "GTIN-8 (GS1-8 prefix 000)", "000"],
  ["0000020123451", "GTIN-8 padded to 13 digits", "201"],
  ["00000020123451", "GTIN-8 padded to 14 digits", "201"],
];

const COUPON: [string, string, string][] = [
  ["0501234567890", "GTIN-13", "050"],
  ["0590000000006", "GTIN-13", "059"],
  ["9810000000013", "GTIN-13", "981"],
  ["9840000000003", "GTIN-13", "984"],
  ["9900000000011", "GTIN-13", "990"],
  ["9999999999994", "GTIN-13", "999"],
  ["512345678900", "GTIN-12 (UPC-A number system 5)", "051"],
  ["19810000000010", "GTIN-14, indicator 1", "981"],
  ["10590000000003", "GTIN-14, indicator 1", "059"],
  ["19900000000018", "GTIN-14, indicator 1", "990"],
];

const ORDINARY: [string, string, string][] = [
  ["7891000315507", "GTIN-13, GS1 Brasil", "789"],
  ["7901234567891", "GTIN-13, GS1 Brasil", "790"],
  ["17891000315504", "GTIN-14 of a GS1 Brasil item", "789"],
  ["0300000000018", "GTIN-13, GS1 US (030)", "030"],
  ["0600000000002", "GTIN-13, GS1 US (060)", "060"],
  ["3000000000007", "GTIN-13, GS1 France", "300"],
  ["9800000000007", "GTIN-13, refund receipt (980, not a coupon prefix)", "980"],
  ["9850000000002", "GTIN-13, 985", "985"],
  ["312345678906", "GTIN-12 (UPC-A number system 3)", "031"],
  ["198765432102", "GTIN-12 (UPC-A number system 1)", "019"],
  ["95000000000015", "GTIN-14, indicator 9 (variable measure), GS1 UK", "500"],
  ["96385074", "GTIN-8 (GS1-8 prefix 963)", "963"],
  ["40063812", "GTIN-8 (GS1-8 prefix 400)", "400"],
  ["10000014", "GTIN-8 (GS1-8 prefix 100)", "100"],
  ["000096385074", "GTIN-8 padded to 12 digits", "963"],
];

describe("gtinPrefixKind and gs1Prefix", () => {
  it("the test codes are valid GTINs", () => {
    for (const [code] of [...RESTRICTED, ...COUPON, ...ORDINARY]) expect(isValidGtin(code), code).toBe(true);
  });

  it.each(RESTRICTED)("%s (%s) is a restricted-circulation number, prefix %s", (code, _what, prefix) => {
    expect(gtinPrefixKind(code)).toBe("restricted");
    expect(gs1Prefix(code)).toBe(prefix);
  });

  it.each(COUPON)("%s (%s) is a coupon number, prefix %s", (code, _what, prefix) => {
    expect(gtinPrefixKind(code)).toBe("coupon");
    expect(gs1Prefix(code)).toBe(prefix);
  });

  it.each(ORDINARY)("%s (%s) is an ordinary GTIN, prefix %s", (code, _what, prefix) => {
    expect(gtinPrefixKind(code)).toBeUndefined();
    expect(gs1Prefix(code)).toBe(prefix);
  });
});

describe("isNoBarcode", () => {
  it.each(["SEM GTIN", "sem gtin", "Sem GTIN", "SEM  GTIN", " sem gtin ", "sem\tgtin", "SEMGTIN", "\u00a0SEM GTIN\u00a0"])("%j says the product has no barcode", (v) => {
    expect(isNoBarcode(v)).toBe(true);
  });

  it.each(["SEM GTIN 7891000315507", "sem código", "GTIN", "SEM", "", "sem-gtin", "N/A"])("%j does not", (v) => {
    expect(isNoBarcode(v)).toBe(false);
  });

  it("only text says it", () => {
    expect(isNoBarcode(undefined)).toBe(false);
    expect(isNoBarcode(0)).toBe(false);
  });
});

describe("gtin check and SEM GTIN", () => {
  const rule = { field: "gtin", check: "gtin" };

  it("accepts SEM GTIN in any case and spacing: no barcode is not an invalid GTIN", () => {
    for (const v of ["SEM GTIN", "Sem GTIN", "SEM  GTIN", " sem gtin "]) expect(passes(rule, v), v).toBe(true);
  });

  it("still rejects other words and codes with extra text", () => {
    expect(passes(rule, "sem código")).toBe(false);
    expect(passes(rule, "SEM GTIN 7891000315507")).toBe(false);
  });
});

describe("gtin_prefix check", () => {
  const rule = { field: "gtin", check: "gtin_prefix" };

  it("flags restricted and coupon prefixes by default, in every length", () => {
    for (const [code] of [...RESTRICTED, ...COUPON]) expect(passes(rule, code), code).toBe(false);
    for (const [code] of ORDINARY) expect(passes(rule, code), code).toBe(true);
  });

  it("reads a JSON number as its digits", () => {
    expect(passes(rule, 2000000000015)).toBe(false);
    expect(passes(rule, 7891000315507)).toBe(true);
  });

  it("leaves invalid GTINs, SEM GTIN and blanks to the other checks", () => {
    expect(passes(rule, "2000000000016")).toBe(true); // wrong check digit: the gtin check reports it
    expect(passes(rule, "200-0000-00001-5")).toBe(true);
    expect(passes(rule, "SEM GTIN")).toBe(true);
    expect(passes(rule, "")).toBe(true);
    expect(passes(rule, undefined)).toBe(true);
  });

  it("kinds narrows what is flagged", () => {
    const restrictedOnly = { ...rule, kinds: ["restricted"] };
    expect(passes(restrictedOnly, "2000000000015")).toBe(false);
    expect(passes(restrictedOnly, "9810000000013")).toBe(true);
    const couponOnly = { ...rule, kinds: ["coupon"] };
    expect(passes(couponOnly, "2000000000015")).toBe(true);
    expect(passes(couponOnly, "9810000000013")).toBe(false);
  });

  it("says which kind of number it is and its GS1 prefix, in English and Portuguese", () => {
    expect(run(rule, { gtin: "212345678909" }).issues[0].message).toBe(
      'The gtin field "212345678909" is a restricted-circulation number (GS1 prefix 021): stores and companies issue these for their own use, such as items sold by weight, so it is not the manufacturer\'s GTIN.',
    );
    expect(run(rule, { gtin: "9810000000013" }, { locale: "pt-BR" }).issues[0].message).toBe(
      'O campo gtin "9810000000013" é um número de cupom (prefixo GS1 981), não o GTIN de um produto.',
    );
  });

  it("offers {prefix} and {kinds} to custom messages", () => {
    const r = run({ ...rule, kinds: ["coupon"], message: "Prefixo {prefix} ({kinds})" }, { gtin: "0501234567890" });
    expect(r.issues[0].message).toBe("Prefixo 050 (coupon)");
  });

  it("refuses an unknown kind and a fix when the pack is saved", () => {
    const problems = (extra: Record<string, unknown>) => {
      try {
        validatorFor([{ id: "p", ...rule, ...extra }]);
        return [];
      } catch (e) {
        if (!(e instanceof PackError)) throw e;
        return e.problems.map((p) => p.pointer);
      }
    };
    expect(problems({ kinds: ["restricted", "brazil"] })).toEqual(["/rules/0/kinds/1"]);
    expect(problems({ fix: "digits_only" })).toEqual(["/rules/0/fix"]);
    expect(problems({})).toEqual([]);
  });
});
