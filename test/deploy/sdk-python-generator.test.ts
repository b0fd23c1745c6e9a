import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pythonModels, pythonOperations } from "../../scripts/generate/sdk-python";
import type { OpenApiDocument } from "../../scripts/generate/types";

// Shapes the real document may grow into: keys Python cannot name, keywords, nullable enums, unions,
// booleans, a description ending in a quote, and a nested object named like a component.
const DOCUMENT: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Test", version: "9" },
  paths: {
    "/api/v1/products/{id}": {
      get: {
        operationId: "getProduct",
        summary: 'Reads "one" product',
        parameters: [
          { name: "lang", in: "query", required: true, schema: { type: "string", enum: ["en", "pt-BR"] } },
          { $ref: "#/components/parameters/Limit" },
        ],
        responses: { "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Product" } } } } },
      },
    },
  },
  components: {
    parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" } } },
    schemas: {
      Product: {
        type: "object",
        description: 'Named after "the seller"',
        properties: {
          sku: { type: "string" },
          label: { type: "object", properties: { "pt-BR": { type: "string" }, from: { type: ["number", "null"] } }, required: ["pt-BR"] },
          status: { type: ["string", "null"], enum: ["active", "paused", null] },
          flag: { const: true },
          price: { anyOf: [{ type: "string" }, { type: "number" }] },
          tags: { type: "array", items: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
          extra: { type: "object", additionalProperties: { type: "integer" } },
          variant: { type: "object", properties: { id: { type: "string" } } },
        },
        required: ["sku", "label"],
      },
      ProductVariant: { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
      Seller: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["id"] },
      // Repeats Seller and adds a field: a subclass of it.
      SellerWithToken: {
        type: "object",
        properties: { id: { type: "string" }, name: { type: "string" }, token: { type: "string" } },
        required: ["id", "token"],
      },
      // Repeats Seller's fields but requires another one: not a Seller.
      SellerDraft: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, note: { type: "string" } }, required: ["name"] },
    },
  },
};

const CHECK = `
import json, typing
from vitrine import models, operations
hints = {name: {k: repr(v) for k, v in typing.get_type_hints(getattr(models, name)).items()} for name in models.__all__ if isinstance(getattr(models, name), type)}
keys = {name: [sorted(getattr(models, name).__required_keys__), sorted(getattr(models, name).__optional_keys__)] for name in hints}
print(json.dumps({"hints": hints, "keys": keys, "doc": models.Product.__doc__, "operations": {k: list(v) for k, v in operations.OPERATIONS.items()}}))
`;

const dir = mkdtempSync(path.join(os.tmpdir(), "sdk-python-generator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Python models generator", () => {
  it("writes models that import on Python and type what the schemas say", () => {
    mkdirSync(path.join(dir, "vitrine"));
    writeFileSync(path.join(dir, "vitrine/__init__.py"), "");
    writeFileSync(path.join(dir, "vitrine/models.py"), pythonModels(DOCUMENT));
    writeFileSync(path.join(dir, "vitrine/operations.py"), pythonOperations(DOCUMENT));
    const run = spawnSync("python3", ["-c", CHECK], { cwd: dir, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    expect(run.stderr).toBe("");
    const { hints, keys, doc, operations } = JSON.parse(run.stdout);
    const models = pythonModels(DOCUMENT);

    expect(keys.Product).toEqual([["label", "sku"], ["extra", "flag", "price", "status", "tags", "variant"]]);
    expect(hints.Product.status).toBe("typing.Optional[typing.Literal['active', 'paused']]");
    expect(hints.Product.flag).toBe("typing.Literal[True]");
    expect(hints.Product.price).toBe("typing.Union[str, float]");
    expect(hints.Product.extra).toBe("typing.Dict[str, int]");
    expect(hints.Product.tags).toBe("typing.List[vitrine.models.ProductTagsItem]");
    expect(keys.ProductLabel).toEqual([["pt-BR"], ["from"]]);
    expect(hints.ProductLabel.from).toBe("typing.Optional[float]");
    // The component keeps its name; the nested object gets another.
    expect(keys.ProductVariant).toEqual([["color"], []]);
    expect(hints.Product.variant).toBe("<class 'vitrine.models.ProductVariant2'>");
    expect(doc).toBe('Named after "the seller"');
    expect(keys.GetProductQuery).toEqual([["lang"], ["limit"]]);
    expect(hints.GetProductQuery.limit).toBe("<class 'int'>");
    expect(keys.SellerWithToken).toEqual([["id", "token"], ["name"]]);
    expect(models).toContain("class SellerWithToken(Seller):\n    token: str\n");
    expect(keys.SellerDraft).toEqual([["name"], ["id", "note"]]);
    expect(models).toMatch(/class SellerDraft\(_SellerDraftRequired, total=False\)/);
    expect(operations).toEqual({ getProduct: ["GET", "/api/v1/products/{id}", 'Reads "one" product'] });
  });

  it("does not depend on the order components are listed in", () => {
    const reordered = structuredClone(DOCUMENT);
    reordered.components = { ...DOCUMENT.components, schemas: Object.fromEntries(Object.entries(DOCUMENT.components!.schemas).reverse()) };
    expect(pythonModels(reordered)).toBe(pythonModels(DOCUMENT));
  });
});
