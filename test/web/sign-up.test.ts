import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, signUpInBrowser, visibleText } from "./helpers";

async function submit(fields: Record<string, string>) {
  const browser = new Browser();
  await browser.fetch("/");
  const res = await browser.post("/signup", fields);
  return { browser, res, html: await res.text() };
}

const valid = () => ({ name: "Maria Souza", email: `maria-${crypto.randomUUID()}@example.com`, password: "uma senha bem longa" });

describe("signing up in the browser", () => {
  it("creates a Free account with a password and no API key, signed in, on the checklist", async () => {
    const fields = { ...valid(), company_name: "Loja da Maria Ltda", tax_id: "11.222.333/0001-81" };
    const { browser, res } = await submit(fields);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app");
    const account = await env.DB.prepare("SELECT * FROM accounts WHERE email = ?").bind(fields.email).first<Record<string, any>>();
    expect(account).toMatchObject({ name: "Maria Souza", plan: "free", company_name: "Loja da Maria Ltda", tax_id: "11222333000181", tax_id_kind: "cnpj", locale: "pt-BR", email_verified_at: null });
    expect(account!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    const keys = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE account_id = ?").bind(account!.id).first<{ n: number }>();
    expect(keys!.n).toBe(0);
    expect(visibleText((await browser.page("/app")).html)).toContain("Boas-vindas, Maria Souza!");
  });

  it("takes an alphanumeric CNPJ or a CPF, checking their digits", async () => {
    const alnum = await submit({ ...valid(), tax_id: "12.abc.345/01de-35" });
    expect(alnum.res.status).toBe(303);
    const cpf = valid();
    expect((await submit({ ...cpf, tax_id: "529.982.247-25" })).res.status).toBe(303);
    const row = await env.DB.prepare("SELECT tax_id, tax_id_kind FROM accounts WHERE email = ?").bind(cpf.email).first();
    expect(row).toEqual({ tax_id: "52998224725", tax_id_kind: "cpf" });

    const wrong = await submit({ ...valid(), tax_id: "529.982.247-24" });
    expect(wrong.res.status).toBe(422);
    expect(visibleText(wrong.html)).toContain("Os dígitos verificadores deste CPF não conferem");
  });

  it("shows every problem beside its field, keeps what was typed, and never echoes the password", async () => {
    const { res, html, browser } = await submit({ name: "Maria", email: "not-an-email", password: "curta", tax_id: "123" });
    expect(res.status).toBe(422);
    expect(browser.signedIn()).toBe(false);
    const text = visibleText(html);
    expect(text).toContain("Alguns campos precisam de atenção");
    expect(text).toContain("Informe um e-mail como voce@loja.com.br.");
    expect(text).toContain("Use pelo menos 10 caracteres.");
    expect(text).toContain("CPF tem 11 dígitos e CNPJ tem 14 caracteres");
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('value="curta"');
  });

  it("refuses an address that already has an account", async () => {
    const seller = await signUpInBrowser();
    const { res, html } = await submit({ ...valid(), email: seller.email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(visibleText(html)).toContain("Já existe uma conta com este e-mail.");
  });

  it("escapes what people type: markup in a name is shown as text", async () => {
    const seller = await signUpInBrowser({ name: `<img src=x onerror=alert(1)>` });
    const { html } = await seller.browser.page("/app");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
