import { describe, expect, it } from "vitest";
import {
  canonicalRecord,
  correctedListing,
  listingChanges,
  listingField,
  listingRecords,
  type MlItem,
} from "../../../src/core/connectors/mercadolivre/items";
import { mergeChanges, planItemPush, sameValue } from "../../../src/core/connectors/mercadolivre/push";

/** Shaped like a multiget body (https://developers.mercadolivre.com.br/pt_br/itens-e-buscas). */
const item: MlItem = {
  id: "MLB100",
  seller_id: 7,
  title: "Camiseta Básica Algodão",
  category_id: "MLB31447",
  price: 49.9,
  currency_id: "BRL",
  available_quantity: 10,
  sold_quantity: 0,
  condition: "new",
  status: "active",
  permalink: "https://produto.mercadolivre.com.br/MLB-100",
  pictures: [
    { id: "P1", url: "http://img/1.jpg", secure_url: "https://img/1.jpg" },
    { id: "P2", url: "http://img/2.jpg", secure_url: "https://img/2.jpg" },
  ],
  attributes: [
    { id: "BRAND", value_name: "Hering" },
    { id: "GTIN", value_name: "7891000315507" },
    { id: "EMPTY", value_name: null },
  ],
  variations: [
    {
      id: 11,
      price: 49.9,
      available_quantity: 4,
      attribute_combinations: [{ id: "COLOR", value_name: "Azul" }, { id: "SIZE", value_name: "M" }],
      attributes: [{ id: "SELLER_SKU", value_name: "CAM-AZ-M" }, { id: "GTIN", value_name: "7891000053508" }],
      picture_ids: ["P2"],
    },
    { id: 12, price: 54.9, available_quantity: 0, attribute_combinations: [{ id: "COLOR", value_name: "Preta" }], seller_custom_field: "CAM-PT" },
  ],
};

describe("Mercado Livre items as listing records", () => {
  it("yields one record per variation, each with its own SKU, GTIN, price, stock, pictures and combination, carrying the item", () => {
    const [blue, black] = listingRecords(item, "Algodão penteado");
    expect(blue).toMatchObject({
      id: "MLB100",
      variation_id: "11",
      title: "Camiseta Básica Algodão",
      price: 49.9,
      available_quantity: 4,
      pictures: ["https://img/2.jpg"],
      description: "Algodão penteado",
      "attributes.BRAND": "Hering",
      "attributes.COLOR": "Azul",
      "attributes.SIZE": "M",
      "attributes.SELLER_SKU": "CAM-AZ-M",
      "attributes.GTIN": "7891000053508",
    });
    expect(black).toMatchObject({ variation_id: "12", price: 54.9, available_quantity: 0, seller_custom_field: "CAM-PT", "attributes.COLOR": "Preta" });
    // A variation never inherits its parent's GTIN or SKU, and keeps every picture when it names none.
    expect(black["attributes.GTIN"]).toBeUndefined();
    expect(black.pictures).toEqual(["https://img/1.jpg", "https://img/2.jpg"]);
    expect("attributes.EMPTY" in blue).toBe(false);
  });

  it("maps to the canonical record: SELLER_SKU or seller_custom_field as sku, GTIN as gtin, the item as parent_sku", () => {
    const [blue, black] = listingRecords(item).map(canonicalRecord);
    expect(blue).toMatchObject({ sku: "CAM-AZ-M", gtin: "7891000053508", stock: 4, currency: "BRL", images: ["https://img/2.jpg"], parent_sku: "MLB100", url: item.permalink });
    expect(blue.attributes).toEqual({ BRAND: "Hering", COLOR: "Azul", SIZE: "M" });
    expect(black).toMatchObject({ sku: "CAM-PT", parent_sku: "MLB100" });
    expect(canonicalRecord(listingRecords({ ...item, variations: undefined })[0]).parent_sku).toBeUndefined();
  });

  it("writes corrections back under Mercado Livre's names, and lists only pushable changes", () => {
    const [listing] = listingRecords({ ...item, variations: undefined });
    const before = canonicalRecord(listing);
    const after = { ...before, title: "Camiseta Básica", stock: 12, currency: "USD", attributes: { ...(before.attributes as object), BRAND: "HERING" } };
    const corrected = correctedListing(listing, before, after);
    expect(corrected).toMatchObject({ title: "Camiseta Básica", available_quantity: 12, currency_id: "USD", "attributes.BRAND": "HERING" });
    expect(listingChanges(listing, corrected)).toEqual([
      { field: "title", from: "Camiseta Básica Algodão", to: "Camiseta Básica" },
      { field: "available_quantity", from: 10, to: 12 },
      { field: "attributes.BRAND", from: "Hering", to: "HERING" },
    ]);
    expect(listingField("images[1]", listing)).toBe("pictures[1]");
    expect(listingField("sku", listing)).toBe("attributes.SELLER_SKU");
    expect(listingField("attributes.BRAND", listing)).toBe("attributes.BRAND");
  });
});

describe("planning a push of one item", () => {
  const plain: MlItem = { ...item, variations: undefined };
  const allowAll = { allowed: () => true, readOnly: new Set<string>() };

  it("sends only changed, allowed fields whose marketplace value is still the one validated", () => {
    const plan = planItemPush(
      plain,
      [
        { field: "title", from: "Camiseta Básica Algodão", to: "Camiseta Básica" },
        { field: "price", from: 49.9, to: "59.90" },
        { field: "attributes.BRAND", from: "Hering", to: "HERING" },
        { field: "pictures", from: ["https://img/1.jpg"], to: ["https://img/9.jpg"] },
      ],
      allowAll,
    );
    expect(plan.body).toEqual({ title: "Camiseta Básica", price: 59.9, attributes: [{ id: "BRAND", value_name: "HERING" }] });
    expect(plan.send.map((f) => [f.field, f.before])).toEqual([
      ["title", "Camiseta Básica Algodão"],
      ["price", 49.9],
      ["attributes.BRAND", "Hering"],
    ]);
    expect(plan.skipped).toEqual([{ field: "pictures", reason: "changed_on_marketplace" }]);
  });

  it("never sends what the marketplace forbids or the seller did not allow", () => {
    const sold = planItemPush({ ...plain, sold_quantity: 2 }, [{ field: "title", from: plain.title, to: "X" }, { field: "condition", from: "new", to: "used" }], allowAll);
    expect(sold.body).toBeNull();
    expect(sold.skipped.map((s) => s.reason)).toEqual(["has_sales", "has_sales"]);
    const readOnly = planItemPush(plain, [{ field: "attributes.BRAND", from: "Hering", to: "X" }], { allowed: () => true, readOnly: new Set(["BRAND"]) });
    expect(readOnly.skipped).toEqual([{ field: "attributes.BRAND", reason: "read_only" }]);
    const paused = planItemPush({ ...plain, status: "paused" }, [{ field: "price", from: 49.9, to: 50 }], allowAll);
    expect(paused.skipped).toEqual([{ field: "price", reason: "not_active" }]);
    const narrow = planItemPush(plain, [{ field: "price", from: 49.9, to: 50 }], { allowed: (f) => f === "title", readOnly: new Set() });
    expect(narrow.skipped).toEqual([{ field: "price", reason: "not_allowed" }]);
    const variations = planItemPush(item, [{ field: "price", from: 49.9, to: 50 }, { field: "attributes.COLOR", from: "Azul", to: "Azul Marinho" }], allowAll);
    expect(variations.skipped.map((s) => s.reason)).toEqual(["variation_field", "variation_field"]);
  });

  it("sends a new description through its own request, compared with the description now", () => {
    const plan = planItemPush(plain, [{ field: "description", from: "<b>Algodão</b>", to: "Algodão" }], { ...allowAll, currentDescription: "<b>Algodão</b>" });
    expect(plan.body).toBeNull();
    expect(plan.description).toBe("Algodão");
    const stale = planItemPush(plain, [{ field: "description", from: "<b>Algodão</b>", to: "Algodão" }], { ...allowAll, currentDescription: "Outro texto" });
    expect(stale.skipped).toEqual([{ field: "description", reason: "changed_on_marketplace" }]);
  });

  it("merges variations' changes: one change per field, conflicting values left out", () => {
    const merged = mergeChanges([
      [{ field: "title", from: "A", to: "B" }],
      [{ field: "title", from: "A", to: "B" }, { field: "attributes.BRAND", from: "x", to: "X" }],
      [{ field: "attributes.BRAND", from: "x", to: "Y" }],
    ]);
    expect(merged.changes).toEqual([{ field: "title", from: "A", to: "B" }]);
    expect(merged.conflicts).toEqual(["attributes.BRAND"]);
    expect(sameValue("1299.90", 1299.9)).toBe(true);
    expect(sameValue("", null)).toBe(true);
    expect(sameValue("Azul", "azul")).toBe(false);
  });
});
