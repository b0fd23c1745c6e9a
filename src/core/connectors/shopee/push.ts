import { type ItemPushPlan, type PlanOptions, type PlannedField, sameValue, type SkipReason } from "../mercadolivre/push";
import { isModelField, isShopeePushable, type ShopeeFieldChange, type ShopeeListing, shopeeCurrentValue } from "./items";

/**
 * Which corrected fields of one Shopee item may be written back, and the exact update_item body.
 * The same safety as for every marketplace: only fields the seller allowed, only items Shopee
 * shows (`item_status` NORMAL), never a model's own fields, and only while Shopee's value is
 * still the one the sync validated.
 * https://open.shopee.com/documents/v2/v2.product.update_item?module=89&type=1
 */
export function planShopeePush(listing: ShopeeListing, changes: readonly ShopeeFieldChange[], opts: Pick<PlanOptions, "allowed">): ItemPushPlan {
  const send: PlannedField[] = [];
  const skipped: ItemPushPlan["skipped"] = [];
  const status = listing.item.item_status;
  const active = status === undefined || status === "NORMAL";
  for (const change of changes) {
    const { field } = change;
    const skip = (reason: SkipReason) => skipped.push({ field, reason });
    if (!opts.allowed(field)) skip("not_allowed");
    else if (!active) skip("not_active");
    else if (!isShopeePushable(field) || isModelField(field, listing)) skip("variation_field");
    else {
      const now = shopeeCurrentValue(listing, field);
      if (!sameValue(now, change.from)) skip("changed_on_marketplace");
      else send.push({ field: field as PlannedField["field"], before: now, to: change.to });
    }
  }
  if (send.length === 0) return { send, skipped, body: null, description: null };
  const body: Record<string, unknown> = { item_id: listing.item.item_id };
  const dimension: Record<string, unknown> = {};
  for (const planned of send) {
    const field: string = planned.field;
    const to = planned.to;
    if (field === "weight") body.weight = Number(to);
    else if (field === "package_length" || field === "package_width" || field === "package_height") dimension[field] = Number(to);
    else if (field === "condition") body.condition = String(to).toUpperCase();
    else body[field] = to;
  }
  if (Object.keys(dimension).length) {
    // Shopee takes the dimension whole: the sides not corrected keep their current values.
    const d = listing.item.dimension ?? {};
    body.dimension = { package_length: d.package_length, package_width: d.package_width, package_height: d.package_height, ...dimension };
  }
  return { send, skipped, body, description: null };
}
