import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call } from "../helpers";
import { type BrowserSeller, expectNotFoundPage, expectSentToSignIn, signUpInBrowser, visibleText } from "./helpers";

/** The signing secret a page shows once, if any. */
function shownSecret(html: string): string | undefined {
  return /<code id="signing-secret" class="secret">(whsec_[^<]+)<\/code>/.exec(html)?.[1];
}

/** Creates an endpoint through the form; returns its id, the secret shown and the page. */
async function createThroughForm(seller: BrowserSeller, url: string, events = ["*"]) {
  const body = new URLSearchParams({ url, description: "ERP", _csrf: seller.browser.csrf() });
  for (const e of events) body.append("events", e);
  const res = await seller.browser.fetch("/app/webhooks", {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://vitrine.test" },
  });
  const html = await res.text();
  const row = await env.DB.prepare("SELECT id FROM webhook_endpoints WHERE account_id = ? ORDER BY id DESC").bind(seller.accountId).first<{ id: string }>();
  return { res, html, id: row?.id, secret: shownSecret(html) };
}

async function seller() {
  const s = await signUpInBrowser();
  await s.browser.fetch("/app/webhooks");
  return s;
}

describe("the webhooks pages", () => {
  it("creates an endpoint with the chosen events and shows its secret once", async () => {
    const s = await seller();
    const receiver = await fakeReceiver();
    const created = await createThroughForm(s, receiver.url, ["validation.completed", "job.status_changed"]);
    expect(created.res.status).toBe(200);
    expect(created.secret).toMatch(/^whsec_/);
    expect(visibleText(created.html)).toContain("Copie agora: ele só aparece esta vez.");
    const row = await env.DB.prepare("SELECT url, events, description FROM webhook_endpoints WHERE id = ?").bind(created.id).first<{ url: string; events: string; description: string }>();
    expect(row).toEqual({ url: receiver.url, events: JSON.stringify(["validation.completed", "job.status_changed"]), description: "ERP" });

    const detail = await s.browser.page(`/app/webhooks/${created.id}`);
    expect(detail.res.status).toBe(200);
    expect(detail.html).not.toContain(created.secret!);
    expect(visibleText(detail.html)).toContain("Uma validação terminou · Uma validação mudou de situação");
    const list = await s.browser.page("/app/webhooks");
    expect(list.html).toContain(`href="/app/webhooks/${created.id}"`);
    expect(list.html).not.toContain(created.secret!);
  });

  it("refuses an endpoint without events, and a private address, keeping what was typed", async () => {
    const s = await seller();
    const none = await createThroughForm(s, "https://hooks.receiver.test/x", []);
    expect(none.res.status).toBe(422);
    expect(visibleText(none.html)).toContain("Escolha pelo menos um evento.");
    expect(none.html).toContain('value="https://hooks.receiver.test/x"');

    const privateUrl = await createThroughForm(s, "https://10.0.0.7/hook", ["*"]);
    expect(privateUrl.res.status).toBe(422);
    expect(visibleText(privateUrl.html)).toContain("aponta para um endereço privado");
    expect(privateUrl.html).toContain('aria-invalid="true"');
    expect(privateUrl.id).toBeUndefined();
  });

  it("sends the test event and shows the receiver's answer, its body escaped", async () => {
    const s = await seller();
    const receiver = await fakeReceiver({ responses: [{ status: 202, body: `<img src=x onerror="alert(1)"> recebido & ok` }] });
    const { id } = await createThroughForm(s, receiver.url);
    const res = await s.browser.post(`/app/webhooks/${id}/test`, {});
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; recebido &amp; ok");
    const text = visibleText(html);
    expect(text).toContain("Seu receptor aceitou o evento de teste.");
    expect(text).toMatch(/Status da resposta 202/);
    expect(text).toMatch(/Tempo [\d.]+ ms/);

    const [received] = await receiver.requests();
    expect(JSON.parse(received.body)).toMatchObject({ type: "webhook.test" });
    // The delivery log lists it, with its attempt.
    const { html: detail } = await s.browser.page(`/app/webhooks/${id}`);
    expect(visibleText(detail)).toContain("Mensagem de teste webhook.test Entregue");
    expect(visibleText(detail)).toContain("Tentativas (1)");
  });

  it("logs a failed delivery with its attempts and retries it on request", async () => {
    const s = await seller();
    const receiver = await fakeReceiver({ responses: [{ status: 500, body: "boom" }], otherwise: { status: 200 } });
    const { id } = await createThroughForm(s, receiver.url);
    const test = visibleText(await (await s.browser.post(`/app/webhooks/${id}/test`, {})).text());
    expect(test).toContain("O evento de teste não foi aceito.");
    expect(test).toContain("HTTP 500");

    const { html } = await s.browser.page(`/app/webhooks/${id}`);
    expect(visibleText(html)).toContain("Falhou");
    const delivery = await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?").bind(id).first<{ id: string }>();
    expect(html).toContain(`action="/app/webhooks/${id}/deliveries/${delivery!.id}/retry"`);

    const retry = await s.browser.post(`/app/webhooks/${id}/deliveries/${delivery!.id}/retry`, {});
    expect(retry.status).toBe(303);
    expect(retry.headers.get("location")).toBe(`/app/webhooks/${id}?notice=deliveryRetried`);
    // The real queue consumer makes the attempt; the receiver sees the same message again.
    const requests = await receiver.waitForRequests(2);
    expect(requests).toHaveLength(2);
    expect(requests[1].headers["webhook-id"]).toBe(requests[0].headers["webhook-id"]);
    await expect.poll(async () => visibleText((await s.browser.page(`/app/webhooks/${id}`)).html), { timeout: 10_000 }).toContain("Tentativas (2)");
    const after = visibleText((await s.browser.page(`/app/webhooks/${id}`)).html);
    expect(after).toContain("Entregue");
    expect(after).not.toContain("Falhou");
  });

  it("rotates the secret: a new one shown once, the old one still signing for 24 hours", async () => {
    const s = await seller();
    const receiver = await fakeReceiver();
    const { id, secret } = await createThroughForm(s, receiver.url);
    const res = await s.browser.post(`/app/webhooks/${id}/rotate`, {});
    expect(res.status).toBe(200);
    const html = await res.text();
    const rotated = shownSecret(html);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(visibleText(html)).toContain("também são assinadas com o segredo anterior");
    expect((await s.browser.page(`/app/webhooks/${id}`)).html).not.toContain(rotated!);

    await s.browser.post(`/app/webhooks/${id}/test`, {});
    const [received] = await receiver.requests();
    expect(received.headers["webhook-signature"].split(" ")).toHaveLength(2);
  });

  it("turns an endpoint off and on; a delivery of an endpoint that is off is not retried", async () => {
    const s = await seller();
    const receiver = await fakeReceiver({ otherwise: { status: 500 } });
    const { id } = await createThroughForm(s, receiver.url);
    await s.browser.post(`/app/webhooks/${id}/test`, {});
    const delivery = await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?").bind(id).first<{ id: string }>();

    const off = await s.browser.post(`/app/webhooks/${id}/disable`, {});
    expect(off.headers.get("location")).toBe(`/app/webhooks/${id}?notice=webhookDisabled`);
    const offPage = visibleText((await s.browser.page(`/app/webhooks/${id}?notice=webhookDisabled`)).html);
    expect(offPage).toContain("Endpoint desativado.");
    expect(offPage).toContain("Você o desativou em");
    const refused = await s.browser.post(`/app/webhooks/${id}/deliveries/${delivery!.id}/retry`, {});
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain("Ative o endpoint antes de reenviar suas entregas.");
    expect(await receiver.requests()).toHaveLength(1);

    const on = await s.browser.post(`/app/webhooks/${id}/enable`, {});
    expect(on.headers.get("location")).toBe(`/app/webhooks/${id}?notice=webhookEnabled`);
    const row = await env.DB.prepare("SELECT enabled FROM webhook_endpoints WHERE id = ?").bind(id).first<{ enabled: number }>();
    expect(row!.enabled).toBe(1);
  });

  it("deletes an endpoint with its delivery log", async () => {
    const s = await seller();
    const receiver = await fakeReceiver();
    const { id } = await createThroughForm(s, receiver.url);
    await s.browser.post(`/app/webhooks/${id}/test`, {});
    const res = await s.browser.post(`/app/webhooks/${id}/delete`, {});
    expect(res.headers.get("location")).toBe("/app/webhooks?notice=webhookDeleted");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?").bind(id).first("n")).toBe(0);
    const page = await s.browser.page(`/app/webhooks/${id}`);
    expectNotFoundPage(page.res, page.html);
  });

  it("answers another account's endpoint with the 404 page, on every page and action", async () => {
    const owner = await seller();
    const receiver = await fakeReceiver();
    const { id } = await createThroughForm(owner, receiver.url);
    await owner.browser.post(`/app/webhooks/${id}/test`, {});
    const delivery = await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?").bind(id).first<{ id: string }>();

    const intruder = await seller();
    const page = await intruder.browser.page(`/app/webhooks/${id}`);
    expectNotFoundPage(page.res, page.html);
    for (const action of ["test", "rotate", "disable", "enable", "delete", `deliveries/${delivery!.id}/retry`]) {
      const res = await intruder.browser.post(`/app/webhooks/${id}/${action}`, {});
      expectNotFoundPage(res, await res.text());
    }
    // Nothing happened to it: one request received (the owner's test), still on, still there.
    expect(await receiver.requests()).toHaveLength(1);
    const row = await env.DB.prepare("SELECT enabled FROM webhook_endpoints WHERE id = ?").bind(id).first<{ enabled: number }>();
    expect(row!.enabled).toBe(1);
    // Retrying the owner's delivery through the intruder's own endpoint is a 404 too.
    const own = await createThroughForm(intruder, (await fakeReceiver()).url);
    const crossed = await intruder.browser.post(`/app/webhooks/${own.id}/deliveries/${delivery!.id}/retry`, {});
    expectNotFoundPage(crossed, await crossed.text());
  });

  it("refuses posts without the form token or from another site", async () => {
    const s = await seller();
    const receiver = await fakeReceiver();
    const { id } = await createThroughForm(s, receiver.url);
    expect((await s.browser.post(`/app/webhooks/${id}/test`, {}, { csrf: false })).status).toBe(403);
    expect((await s.browser.post(`/app/webhooks/${id}/delete`, {}, { origin: "https://evil.example" })).status).toBe(403);
    expect((await s.browser.post("/app/webhooks", { url: receiver.url, events: "*" }, { csrf: "forged" })).status).toBe(403);
    expect(await receiver.requests()).toHaveLength(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM webhook_endpoints WHERE account_id = ?").bind(s.accountId).first("n")).toBe(1);
  });

  it("sends a browser without a session to sign in", async () => {
    expectSentToSignIn(await call("/app/webhooks", { redirect: "manual" }));
  });
});
