import { afterEach, describe, expect, it, vi } from "vitest";
import { redirectUri } from "../../src/services/connectors/oauth";
import { call, env, newAccount } from "../helpers";
import { approveAtMarketplace, confirmForm, connectedStore, newSeller } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
});

async function create(key: string, name = "Minha loja") {
  const res = await call("/api/v1/connectors", { method: "POST", key, json: { type: "mercadolivre", name } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as any;
}

const getConnector = async (key: string, id: string) => (await (await call(`/api/v1/connectors/${id}`, { key })).json()) as any;

describe("connecting a Mercado Livre store (OAuth 2.0 with PKCE)", () => {
  it("creates the connector pending, with an authorize_url carrying client_id, redirect_uri, state and an S256 challenge", async () => {
    const { key } = await newAccount();
    const connector = await create(key);
    expect(connector).toMatchObject({ id: expect.stringMatching(/^con_/), type: "mercadolivre", status: "pending_authorization", push_fields: [], provider_account: null });
    const url = new URL(connector.authorize_url);
    expect(url.origin + url.pathname).toBe("https://auth.mercadolivre.test/authorization");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: env.MERCADOLIVRE_CLIENT_ID,
      redirect_uri: "https://vitrine.test/api/v1/connectors/oauth/callback",
      code_challenge_method: "S256",
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
    });
    // GET does not hand out a new link: authorize_url appears only where one is made.
    expect((await getConnector(key, connector.id)).authorize_url).toBeUndefined();
  });

  it("uses PUBLIC_URL for the redirect URI when it is set", () => {
    expect(redirectUri({ ...env, PUBLIC_URL: "https://vitrine.example.com/" }, "https://ignored.test")).toBe("https://vitrine.example.com/api/v1/connectors/oauth/callback");
  });

  it("asks the person to confirm which Vitrine account the store joins, then activates the connector", async () => {
    const { key, email } = await newAccount("Loja da Ana");
    const seller = await newSeller();
    const connector = await create(key, "Loja <b>principal</b>");
    const back = await approveAtMarketplace(connector.authorize_url, seller);
    expect(back.pathname).toBe("/api/v1/connectors/oauth/callback");

    const page = await call(back.pathname + back.search, { headers: { "accept-language": "pt-BR" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain("Loja da Ana");
    expect(html).toContain(`${email[0]}•••${email.slice(email.indexOf("@"))}`);
    expect(html).not.toContain(email);
    expect(html).toContain("Loja &lt;b&gt;principal&lt;/b&gt;");
    expect(html).toContain("Vincular minha loja a esta conta");
    expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    expect((await getConnector(key, connector.id)).status).toBe("pending_authorization");

    const confirmed = await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`/app/connectors/${connector.id}`);
    const active = await getConnector(key, connector.id);
    expect(active).toMatchObject({ status: "active", problem: null, provider_account: { user_id: String(seller.userId) } });
    expect((await seller.state()).counters.authorizationCodeGrants).toBe(1);
  });

  it("refuses a state that was tampered with, and leaves the connector as it was", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await create(key);
    const back = await approveAtMarketplace(connector.authorize_url, seller);
    const state = back.searchParams.get("state")!;
    const [body, mac] = state.split(".");
    const tampered = `${body.slice(0, -1)}${body.endsWith("A") ? "B" : "A"}.${mac}`;
    const page = await call(`/api/v1/connectors/oauth/callback?code=${back.searchParams.get("code")}&state=${tampered}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("The store was not linked");
    const posted = await confirmForm(tampered, back.searchParams.get("code")!);
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("was not made by this Vitrine");
    expect((await getConnector(key, connector.id)).status).toBe("pending_authorization");
    expect((await seller.state()).counters.authorizationCodeGrants).toBe(0);
  });

  it("uses a state once: a replayed confirmation links nothing", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await create(key);
    const back = await approveAtMarketplace(connector.authorize_url, seller);
    const [state, code] = [back.searchParams.get("state")!, back.searchParams.get("code")!];
    expect((await confirmForm(state, code)).status).toBe(303);
    const again = await confirmForm(state, code);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("already used");
    expect(await (await call(back.pathname + back.search)).text()).toContain("already used");
    expect((await seller.state()).counters.authorizationCodeGrants).toBe(1);
  });

  it("lets a link live ten minutes", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await create(key);
    const back = await approveAtMarketplace(connector.authorize_url, seller);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
    const page = await call(back.pathname + back.search);
    expect(await page.text()).toContain("The link expired");
  });

  it("binds the code to the verifier of its own authorization (PKCE): a code cannot be redeemed through another link", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const first = await create(key, "Primeira");
    const second = await create(key, "Segunda");
    const code = (await approveAtMarketplace(first.authorize_url, seller)).searchParams.get("code")!;
    const otherState = (await approveAtMarketplace(second.authorize_url, seller)).searchParams.get("state")!;
    const res = await confirmForm(otherState, code);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("did not accept the authorization (invalid_grant");
    const failed = await getConnector(key, second.id);
    expect(failed).toMatchObject({ status: "error", problem: { code: "provider.invalid_grant" } });
    expect((await seller.state()).counters.authorizationCodeGrants).toBe(0);
  });

  it("records the marketplace's refusal when the seller declines there", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await create(key);
    const back = await approveAtMarketplace(connector.authorize_url, seller, "deny");
    expect(back.searchParams.get("error")).toBe("access_denied");
    const page = await call(back.pathname + back.search);
    expect(await page.text()).toContain("access_denied");
    expect(await getConnector(key, connector.id)).toMatchObject({ status: "error", problem: { code: "provider.access_denied" } });
  });

  it("links nothing when the person cancels, and the link cannot be used afterwards", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await create(key);
    const back = await approveAtMarketplace(connector.authorize_url, seller);
    const cancelled = await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!, "cancel");
    expect(await cancelled.text()).toContain("Nothing was linked");
    expect((await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!)).status).toBe(200);
    expect((await getConnector(key, connector.id)).status).toBe("pending_authorization");
  });

  it("gives a new authorize_url on request, and links again after a revocation", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await connectedStore(key, seller);
    const res = await call(`/api/v1/connectors/${connector.id}/authorize`, { method: "POST", key });
    expect(res.status).toBe(200);
    const again = (await res.json()) as any;
    expect(again.authorize_url).not.toBe(connector.authorize_url);
    const back = await approveAtMarketplace(again.authorize_url, seller);
    expect((await confirmForm(back.searchParams.get("state")!, back.searchParams.get("code")!)).status).toBe(303);
    expect((await seller.state()).counters.authorizationCodeGrants).toBe(2);
  });
});
