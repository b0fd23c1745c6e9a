import { describe, expect, it } from "vitest";
import { call, expectProblem, newAccount } from "../helpers";

describe("POST /api/v1/signup", () => {
  it("creates a Free account and a working vt_test_ key shown once", async () => {
    const res = await call("/api/v1/signup", { method: "POST", json: { email: "Ana@Example.com ", name: "Loja da Ana" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.account).toMatchObject({ name: "Loja da Ana", email: "ana@example.com", plan: "free" });
    expect(body.account.id).toMatch(/^acct_/);
    expect(body.api_key.key).toMatch(/^vt_test_[0-9A-Za-z]{32}$/);
    expect(body.api_key.key.startsWith(body.api_key.prefix)).toBe(true);

    const me = await call("/api/v1/account", { key: body.api_key.key });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: body.account.id, plan: "free" });
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    const first = await newAccount();
    const res = await call("/api/v1/signup", { method: "POST", json: { email: first.email.toUpperCase(), name: "Outra" } });
    await expectProblem(res, 409, "conflict");
  });

  it("points at each invalid field", async () => {
    const res = await call("/api/v1/signup", { method: "POST", json: { email: "not-an-email", name: "" } });
    const problem = await expectProblem(res, 400, "invalid-request");
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(["/email", "/name"]);
  });

  it("answers in Portuguese when asked", async () => {
    const res = await call("/api/v1/signup", {
      method: "POST",
      json: { email: "x", name: "y" },
      headers: { "accept-language": "pt-BR,pt;q=0.9,en;q=0.5" },
    });
    const problem = await expectProblem(res, 400);
    expect(problem.title).toBe("Requisição inválida");
  });
});
