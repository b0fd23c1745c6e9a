import { describe, expect, it } from "vitest";
import { withLiveSections } from "../../../src/core/connectors/live-sections";
import { type ShopeeListing, shopeeCanonical, shopeeChanges, shopeeColumn, shopeeCorrected, shopeeRecords } from "../../../src/core/connectors/shopee/items";
import { compileItemLimits } from "../../../src/core/connectors/shopee/limits";
import { planShopeePush } from "../../../src/core/connectors/shopee/push";
import { compilePack } from "../../../src/core/rules";
import { config } from "../../../src/config";
import { builtinDefinition, resolveBuiltin } from "../../rules/builtin-packs";

const item = {
  item_id: 42,
  category_id: 100017,
  item_name: "Fone de ouvido Bluetooth com estojo",
  description: "Descrição",
  item_sku: "SKU-42",
  item_status: "NORMAL",
  price_info: [{ currency: "BRL", original_price: 99.9, current_price: 89.9 }],
  stock_info_v2: { summary_info: { total_available_stock: 7 } },
  image: { image_url_list: ["https://cf.shopee.test/a", "https://cf.shopee.test/b"] },
  weight: "0.25",
  dimension: { package_length: 15, package_width: 10, package_height: 5 },
  condition: "NEW",
  brand: { brand_id: 1, original_brand_name: "Sonora" },
  attribute_list: [{ attribute_id: 100001, attribute_value_list: [{ original_value_name: "Preto" }] }],
  has_model: false,
  tax_info: { ncm: "85183000" },
};

describe("Shopee items → records", () => {
  it("maps an item under Shopee's names, and to the canonical record the shopee pack reads", () => {
    const [record] = shopeeRecords({ item, models: [] });
    expect(record).toMatchObject({ id: "42", item_name: item.item_name, price: 89.9, stock: 7, weight: 0.25, package_length: 15, brand: "Sonora", "attributes.100001": "Preto" });
    expect(shopeeCanonical(record)).toMatchObject({ title: item.item_name, sku: "SKU-42", weight_g: 250, length_cm: 15, condition: "new", images: item.image.image_url_list, ncm: "85183000" });
    expect(shopeeColumn("weight_g", record)).toBe("weight");
    expect(shopeeColumn("images[1]", record)).toBe("images[1]");
  });

  it("makes one record per model, each with its own SKU, price, stock and GTIN", () => {
    const listing: ShopeeListing = {
      item: { ...item, has_model: true },
      models: [
        { model_id: 1, model_sku: "SKU-42-P", price_info: [{ current_price: 10 }], stock_info_v2: { summary_info: { total_available_stock: 1 } }, gtin_code: "7891234567895" },
        { model_id: 2, model_sku: "SKU-42-B", price_info: [{ current_price: 11 }], stock_info_v2: { summary_info: { total_available_stock: 2 } } },
      ],
    };
    const records = shopeeRecords(listing);
    expect(records.map((r) => [r.variation_id, r.model_sku, r.price, r.stock, r.gtin_code ?? null])).toEqual([
      ["1", "SKU-42-P", 10, 1, "7891234567895"],
      ["2", "SKU-42-B", 11, 2, null],
    ]);
    expect(shopeeCanonical(records[1])).toMatchObject({ sku: "SKU-42-B", parent_sku: "42" });
    expect(shopeeColumn("sku", records[0])).toBe("model_sku");
  });

  it("writes fixes back to Shopee's keys and units, and lists the pushable changes", () => {
    const [record] = shopeeRecords({ item, models: [] });
    const before = shopeeCanonical(record);
    const corrected = shopeeCorrected(record, before, { ...before, title: "Fone Bluetooth", weight_g: 300, condition: "used" });
    expect(corrected).toMatchObject({ item_name: "Fone Bluetooth", weight: 0.3, condition: "USED" });
    expect(shopeeChanges(record, corrected)).toEqual([
      { field: "item_name", from: item.item_name, to: "Fone Bluetooth" },
      { field: "condition", from: "NEW", to: "USED" },
      { field: "weight", from: 0.25, to: 0.3 },
    ]);
  });
});

describe("Shopee push plan", () => {
  const allowed = () => true;
  it("sends only the changed fields, the dimension whole", () => {
    const plan = planShopeePush({ item, models: [] }, [
      { field: "item_name", from: item.item_name, to: "Novo nome do fone de ouvido" },
      { field: "package_width", from: 10, to: 12 },
    ], { allowed });
    expect(plan.body).toEqual({ item_id: 42, item_name: "Novo nome do fone de ouvido", dimension: { package_length: 15, package_width: 12, package_height: 5 } });
    expect(plan.send.map((f) => [f.field, f.before])).toEqual([["item_name", item.item_name], ["package_width", 10]]);
  });

  it("skips what it must not write, saying why", () => {
    const withModels: ShopeeListing = { item: { ...item, has_model: true }, models: [{ model_id: 1 }] };
    const plan = planShopeePush(withModels, [
      { field: "model_sku", from: "A", to: "B" },
      { field: "item_sku", from: "SKU-41", to: "SKU-43" },
      { field: "description", from: "Descrição", to: "Outra" },
    ], { allowed: (f) => f !== "description" });
    expect(plan.body).toBeNull();
    expect(plan.skipped).toEqual([
      { field: "model_sku", reason: "variation_field" },
      { field: "item_sku", reason: "changed_on_marketplace" },
      { field: "description", reason: "not_allowed" },
    ]);
    const unlisted = planShopeePush({ item: { ...item, item_status: "UNLIST" }, models: [] }, [{ field: "item_name", from: item.item_name, to: "x" }], { allowed });
    expect(unlisted.skipped).toEqual([{ field: "item_name", reason: "not_active" }]);
  });
});

describe("Shopee live limits", () => {
  it("puts the shop's numbers in the pack's limit rules and adds a price range", () => {
    const base = builtinDefinition("shopee");
    const live = compileItemLimits("123", {
      item_name_length_limit: { min_limit: 25, max_limit: 100 },
      price_limit: { min_limit: 1, max_limit: 500 },
      item_image_count_limit: { min_limit: 1, max_limit: 12 },
    }, base);
    const byId = Object.fromEntries(live.rules.map((r) => [r.id, r]));
    expect(byId["shopee.name.min_length"].params).toMatchObject({ min: 25 });
    expect(byId["shopee.name.max_length"].params).toMatchObject({ max: 100 });
    expect(byId["shopee.name.max_length"].fix?.[0]).toMatchObject({ op: "truncate", max: 100 });
    expect(byId["shopee.images.count"].params).toMatchObject({ min: 1, max: 12 });
    expect(byId["shopee.price.range"].params).toEqual({ min: 1, max: 500 });
    expect(byId["shopee.description.min_length"]).toBeUndefined();

    const grafted = withLiveSections(base, { packId: "shopee", categories: [], rules: live.rules, tag: "limits:123@x" });
    const pack = compilePack(grafted, resolveBuiltin);
    const validator = pack.createValidator({ applyFixes: false });
    const ids = (record: Record<string, unknown>) => validator.validate(record, 1).issues.map((i) => i.rule);
    const name = "Fone de ouvido sem fio 2"; // 23 characters: fine for rules/shopee.yaml (20), short for this shop (25)
    expect(ids({ title: name, price: 600 })).toEqual(expect.arrayContaining(["shopee.name.min_length", "shopee.price.range"]));
    expect(ids({ title: `${name} preto`, price: 100 })).not.toContain("shopee.name.min_length");
    // The fallback pack alone: 23 characters pass, no price range.
    const fallback = compilePack(base, resolveBuiltin).createValidator({ applyFixes: false });
    expect(fallback.validate({ title: name, price: 600 }, 1).issues.map((i) => i.rule)).not.toContain("shopee.name.min_length");
  });
});

describe("Shopee configuration", () => {
  it("needs the key with the id, digits for the id, and defaults the host", () => {
    expect(config({ ENVIRONMENT: "development" }).shopee).toBeUndefined();
    expect(config({ ENVIRONMENT: "development", SHOPEE_PARTNER_ID: "2001887", SHOPEE_PARTNER_KEY: "k" }).shopee).toEqual({
      partnerId: "2001887",
      partnerKey: "k",
      apiUrl: "https://partner.shopeemobile.com",
      requestsPerMinute: 600,
    });
    expect(() => config({ ENVIRONMENT: "development", SHOPEE_PARTNER_ID: "2001887" })).toThrow(/SHOPEE_PARTNER_KEY is required/);
    expect(() => config({ ENVIRONMENT: "development", SHOPEE_PARTNER_ID: "abc", SHOPEE_PARTNER_KEY: "k" })).toThrow(/digits only/);
    expect(config({ ENVIRONMENT: "development", SHOPEE_PARTNER_ID: "1", SHOPEE_PARTNER_KEY: "k", SHOPEE_API_URL: "https://partner.test-stable.shopeemobile.com/" }).shopee?.apiUrl).toBe(
      "https://partner.test-stable.shopeemobile.com",
    );
  });
});
