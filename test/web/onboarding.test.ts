import { describe, expect, it } from "vitest";
import { createApiKey } from "../../src/services/api-keys";
import { env, uploadFile } from "../helpers";
import { signUpInBrowser, visibleText } from "./helpers";

async function stepsDone(browser: Awaited<ReturnType<typeof signUpInBrowser>>["browser"]) {
  const { html } = await browser.page("/app");
  return [...html.matchAll(/<li class="(step(?: step-done)?)" id="step-(\d)">/g)].filter((m) => m[1] === "step step-done").map((m) => Number(m[2]));
}

describe("the onboarding checklist", () => {
  it("lists the six steps, each linking to its page", async () => {
    const seller = await signUpInBrowser();
    const { html } = await seller.browser.page("/app");
    const text = visibleText(html);
    expect(text).toContain("0 de 6 passos concluídos");
    for (const path of ["/app/upload", "/app/mappings", "/app/jobs", "/app/api-keys", "/app/webhooks"]) expect(html).toContain(`href="${path}"`);
    expect(await stepsDone(seller.browser)).toEqual([]);
  });

  it("ticks steps from what the account really did, and keeps them across reloads", async () => {
    const seller = await signUpInBrowser();
    const { key } = await createApiKey(env, seller.accountId, "ERP");
    expect(await stepsDone(seller.browser)).toEqual([6]);
    await uploadFile(key, "sku,title,price\nA1,Caneca azul,29.90\n", "catalogo.csv");
    expect(await stepsDone(seller.browser)).toEqual([1, 6]);

    const res = await seller.browser.post("/app/onboarding/marketplace", { marketplace: "mercadolivre", category: "mlb1055" });
    expect(res.headers.get("location")).toBe("/app?notice=marketplaceSaved#step-2");
    expect(await stepsDone(seller.browser)).toEqual([1, 2, 6]);
    const { html } = await seller.browser.page("/app");
    expect(html).toContain('<option value="mercadolivre" selected="">');
    expect(html).toContain('value="MLB1055"');
  });

  it("is per account: another seller's file ticks nothing here", async () => {
    const mine = await signUpInBrowser();
    const theirs = await signUpInBrowser();
    const { key } = await createApiKey(env, theirs.accountId, "ERP");
    await uploadFile(key, "sku,title\nB1,Prato\n", "outro.csv");
    expect(await stepsDone(mine.browser)).toEqual([]);
    expect(await stepsDone(theirs.browser)).toEqual([1, 6]);
  });

  it("refuses a marketplace it does not know, saying so beside the field", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/onboarding/marketplace", { marketplace: "amazon", category: "x y" });
    expect(res.status).toBe(422);
    const text = visibleText(await res.text());
    expect(text).toContain("Escolha um marketplace da lista.");
    expect(text).toContain("Use o código da categoria, como MLB1055.");
  });
});
