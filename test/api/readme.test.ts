import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { call, newAccount } from "../helpers";

/** The JSON bodies the README sends to POST /validate, in order. */
function validateExamples(): unknown[] {
  const bodies = [...readme.matchAll(/\$API\/validate [^\n]*-d '(\{[\s\S]*?\n\})'/g)].map((m) => JSON.parse(m[1]));
  expect(bodies.length).toBeGreaterThanOrEqual(2);
  return bodies;
}

describe("the README's examples do what it says", () => {
  it("the first /validate record is a listing Mercado Livre accepts, with no issue at all", async () => {
    const { key } = await newAccount();
    const body = (await (await call("/api/v1/validate", { method: "POST", key, json: validateExamples()[0] })).json()) as any;
    expect(body.results[0].issues.map((i: any) => i.message)).toEqual([]);
    expect(body.summary).toMatchObject({ records: 1, valid: 1, invalid: 0 });
  });

  it("the second shows fixes proposed and applied, in Portuguese, and ends valid", async () => {
    const { key } = await newAccount();
    const res = await call("/api/v1/validate", { method: "POST", key, json: validateExamples()[1], headers: { "accept-language": "pt-BR" } });
    const result = ((await res.json()) as any).results[0];
    expect(result.valid).toBe(true);
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues.every((i: any) => i.fixed === true)).toBe(true);
    expect(result.corrected).toMatchObject({ title: "Smartphone Samsung Galaxy A15 128GB Verde", price: 1299.9, condition: "new" });
  });
});
