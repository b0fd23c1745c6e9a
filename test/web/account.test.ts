import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PASSWORD, signInInBrowser, signUpInBrowser, visibleText } from "./helpers";

describe("the account page", () => {
  it("updates the profile: name, company, CNPJ or CPF, language", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/account/profile", { name: "Maria S.", company_name: "Loja", tax_id: "12.ABC.345/01DE-35", locale: "en" });
    expect(res.headers.get("location")).toBe("/app/account?notice=profileSaved");
    const row = await env.DB.prepare("SELECT name, company_name, tax_id, tax_id_kind, locale FROM accounts WHERE id = ?").bind(seller.accountId).first();
    expect(row).toEqual({ name: "Maria S.", company_name: "Loja", tax_id: "12ABC34501DE35", tax_id_kind: "cnpj", locale: "en" });
    const { html } = await seller.browser.page("/app/account?notice=profileSaved");
    expect(visibleText(html)).toContain("Profile saved.");
  });

  it("keeps a bad profile form's values and shows what is wrong", async () => {
    const seller = await signUpInBrowser();
    const res = await seller.browser.post("/app/account/profile", { name: "", company_name: "Loja", tax_id: "11.222.333/0001-82", locale: "pt-BR" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(visibleText(html)).toContain("Os dígitos verificadores deste CNPJ não conferem");
    expect(html).toContain('value="11.222.333/0001-82"');
  });

  it("changes the password with the current one, ending the other sessions but not this one", async () => {
    const seller = await signUpInBrowser();
    const { browser: other } = await signInInBrowser(seller.email);
    const wrong = await seller.browser.post("/app/account/password", { current_password: "not my password", new_password: "nova senha bem longa" });
    expect(wrong.status).toBe(422);
    expect(visibleText(await wrong.text())).toContain("Esta não é a sua senha atual.");

    const res = await seller.browser.post("/app/account/password", { current_password: PASSWORD, new_password: "nova senha bem longa" });
    expect(res.headers.get("location")).toBe("/app/account?notice=passwordChanged");
    expect((await seller.browser.fetch("/app")).status).toBe(200);
    expect((await other.fetch("/app")).status).toBe(303);
    expect((await signInInBrowser(seller.email, "nova senha bem longa")).res.status).toBe(303);
    expect((await signInInBrowser(seller.email, PASSWORD)).res.status).toBe(401);
  });

  it("ending this browser's own session from the list signs it out", async () => {
    const seller = await signUpInBrowser();
    const row = await env.DB.prepare("SELECT id FROM sessions WHERE account_id = ?").bind(seller.accountId).first<{ id: string }>();
    const res = await seller.browser.post(`/app/account/sessions/${row!.id}/revoke`, {});
    expect(res.headers.get("location")).toBe("/login?notice=signedOut");
    expect(seller.browser.signedIn()).toBe(false);
  });
});
