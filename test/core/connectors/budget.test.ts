import { describe, expect, it } from "vitest";
import { listingPageCost, listingPageSize, PERMIT_BLOCK, PLATFORM_SUBREQUESTS, pushPartCost, stepBudget, syncChunkCost, syncChunkItems, unitsPerStep } from "../../../src/core/connectors/budget";

/**
 * The worst case of a step, counted request by request in whole numbers (a short last batch is a
 * whole request), independently of the cost model: the retries a step keeps room for (a tenth of
 * its requests, plus four), one gate call per PERMIT_BLOCK requests, and the platform's own calls.
 */
function worstCase(providerRequests: number, otherSubrequests = 0): number {
  const sent = providerRequests + Math.floor(providerRequests / 10) + 4;
  return sent + Math.ceil(sent / PERMIT_BLOCK) + otherSubrequests + PLATFORM_SUBREQUESTS;
}

const BATCH = 20;
const PAGE = 100;

describe("subrequest budgets", () => {
  it("sizes every connector step to fit its share of the invocation, for any budget and batch size", () => {
    let checked = 0;
    for (let budget = 50; budget <= 1000; budget += 10) {
      for (let messages = 1; messages <= 4; messages++) {
        const share = Math.floor(budget / messages);
        const step = stepBudget(budget, messages);
        for (const descriptions of [false, true]) {
          const items = syncChunkItems(step, syncChunkCost(BATCH, descriptions), BATCH);
          if (items < 1) continue;
          // Whole multigets whenever one fits.
          if (unitsPerStep(step, syncChunkCost(BATCH, descriptions)) >= BATCH) expect(items % BATCH).toBe(0);
          checked++;
          // A chunk: its multigets, a description per item, a category lookup per item (every category new).
          expect(worstCase(Math.ceil(items / BATCH) + (descriptions ? items : 0) + items)).toBeLessThanOrEqual(share);
          // A listing step of one page: the search, and one R2 write per chunk the page fills.
          const page = listingPageSize(step, PAGE, items);
          expect(page).toBeGreaterThan(0);
          expect(worstCase(1, Math.ceil(page / items))).toBeLessThanOrEqual(share);
          expect(unitsPerStep(step, listingPageCost(page, items))).toBeGreaterThanOrEqual(1);
        }
        const pushItems = unitsPerStep(step, pushPartCost(BATCH));
        // A push part: the items as they are now, one description read and write, one update per item.
        if (pushItems > 0) expect(worstCase(Math.ceil(pushItems / BATCH) + 3 * pushItems)).toBeLessThanOrEqual(share);
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("fits Workers Free with one message per invocation, reading shorter pages", () => {
    const step = stepBudget(50, 1);
    const items = syncChunkItems(step, syncChunkCost(BATCH, true), BATCH);
    expect(items).toBeGreaterThan(0);
    const page = listingPageSize(step, PAGE, items);
    expect(page).toBeGreaterThan(0);
    expect(page).toBeLessThan(PAGE);
    expect(unitsPerStep(step, pushPartCost(BATCH))).toBeGreaterThan(0);
  });

  it("gives no room at all when the budget cannot carry one step, instead of a step that overruns it", () => {
    // Workers Free (50) with four messages per invocation: 12 subrequests each, fewer than the platform's own.
    expect(stepBudget(50, 4)).toBeLessThan(0);
    expect(unitsPerStep(stepBudget(50, 4), syncChunkCost(BATCH, false))).toBe(0);
    expect(unitsPerStep(stepBudget(50, 4), pushPartCost(BATCH))).toBe(0);
    expect(listingPageSize(stepBudget(50, 4), PAGE, 1)).toBe(0);
  });
});
