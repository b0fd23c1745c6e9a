import { describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/generate/run";

describe("generated files", () => {
  it("match what `npm run generate` produces from the committed OpenAPI document", async () => {
    expect(await staleFiles()).toEqual([]);
  });
});
