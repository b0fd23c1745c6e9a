import { describe, expect, it } from "vitest";
import { pkceChallenge, pkceVerifier } from "../../src/core/connectors/oauth";
import { BudgetExhaustedError } from "../../src/services/connectors/errors";
import { gateOf, ProviderSession } from "../../src/services/connectors/session";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, generateItems } from "../fakes/mercadolivre";
import { fakeReceiver } from "../fakes/webhook-receiver-client";
import { call, env, newAccount } from "../helpers";
import { createEndpoint } from "../webhook-harness";
import { connectedStore, eventually, newSeller, syncAndWait } from "./helpers";

const recordsOf = (n: number, sellerId: number) => generateItems(sellerId, n).reduce((sum, i) => sum + (i.variations?.length ?? 1), 0);

describe("rate limits and tokens toward Mercado Livre (the ConnectorGate)", () => {
  it("honours 429 and Retry-After mid-sync: everyone waits, the sync completes with exact counts", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 400 });
    const connector = await connectedStore(key, seller);
    await seller.script({ throttle: { afterRequests: 30, retryAfterSeconds: 2 } });
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(recordsOf(400, seller.userId));
    const { counters } = await seller.state();
    // Only requests already in flight when the first 429 came back meet the closed window
    // (four per chunk at most); a client that did not wait would meet it hundreds of times.
    expect(counters.throttled).toBeGreaterThanOrEqual(1);
    expect(counters.throttled).toBeLessThanOrEqual(16);
  });

  it("refreshes an access token that dies mid-sync exactly once, whatever number of requests find it dead", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 600 });
    const connector = await connectedStore(key, seller);
    await seller.script({ expireTokensAfter: 20 });
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("completed");
    expect(job.counts.records).toBe(recordsOf(600, seller.userId));
    const { counters } = await seller.state();
    expect(counters.unauthorized).toBeGreaterThanOrEqual(1);
    expect(counters.refreshGrants).toBe(1);
    expect(counters.refreshReuses).toBe(0);
  });

  it("serializes refresh inside the gate: twenty concurrent requests for a token after a 401 cause one refresh", async () => {
    const { key } = await newAccount();
    const seller = await newSeller();
    const connector = await connectedStore(key, seller);
    const gate = gateOf(env, connector.id);
    const first = await gate.permit(1);
    expect(first.kind).toBe("go");
    await gate.rejected((first as { accessToken: string }).accessToken);
    const permits = await Promise.all(Array.from({ length: 20 }, () => gate.permit(1)));
    const tokens = new Set(permits.map((p) => (p.kind === "go" ? p.accessToken : p.kind)));
    expect(tokens.size).toBe(1);
    expect(tokens.has((first as { accessToken: string }).accessToken)).toBe(false);
    expect((await seller.state()).counters.refreshGrants).toBe(1);
    // Reporting the old token again changes nothing: it is not the current one.
    await gate.rejected((first as { accessToken: string }).accessToken);
    await gate.permit(1);
    expect((await seller.state()).counters.refreshGrants).toBe(1);
  });

  it("stops a step at its subrequest budget: gate calls and requests counted, the provider never sees one more", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 3 });
    const connector = await connectedStore(key, seller);
    const before = (await seller.state()).counters.multigets;
    // Six subrequests: one gate call (a block of permits), then five multigets; the sixth request is never sent.
    const session = new ProviderSession(env, { id: connector.id, type: "mercadolivre" }, 6);
    let sent = 0;
    const exhaust = async () => {
      for (;;) {
        await (await session.fetch("/items", { query: { ids: "MLB900000000" } })).arrayBuffer();
        sent++;
      }
    };
    await expect(exhaust()).rejects.toThrow(BudgetExhaustedError);
    expect(sent).toBe(5);
    expect(session.used).toBe(6);
    expect((await seller.state()).counters.multigets - before).toBe(5);
  });

  it("fails the sync when the seller revoked access: the connector asks for reauthorization, nothing is published, an event says why", async () => {
    const { key } = await newAccount();
    const seller = await newSeller({ generate: 120 });
    const connector = await connectedStore(key, seller);
    const bin = await fakeReceiver();
    await createEndpoint(key, { url: bin.url, events: ["connector.synced"] });
    await seller.script({ revoke: true });
    const job = await syncAndWait(key, connector.id);
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("connector.reauthorization_required");
    expect(job.error.message).toContain("Authorize it again");
    const results = await call(`/api/v1/jobs/${job.id}/result`, { key });
    expect(results.status).toBe(409);
    const after = await eventually(
      async () => (await (await call(`/api/v1/connectors/${connector.id}`, { key, headers: { "accept-language": "pt-BR" } })).json()) as any,
      (c) => c.status === "reauthorization_required",
    );
    expect(after.problem).toMatchObject({ code: "connector.reauthorization_required", message: expect.stringContaining("Autorize de novo") });
    expect(after.sync).toMatchObject({ running_job_id: null, last_status: "failed" });
    const [delivery] = await bin.waitForRequests(1);
    expect(JSON.parse(delivery.body).data).toMatchObject({ status: "failed", job_id: job.id, error: { code: "connector.reauthorization_required" } });
    // Syncing again is refused until the seller authorizes again.
    expect((await call(`/api/v1/connectors/${connector.id}/sync`, { method: "POST", key, json: {} })).status).toBe(409);
  });

  it("the fake refuses a reused refresh token the way Mercado Livre does (400 invalid_grant)", async () => {
    const seller = await newSeller();
    const verifier = pkceVerifier();
    const authorize = new URL("https://auth.mercadolivre.test/authorization");
    for (const [k, v] of Object.entries({ response_type: "code", client_id: FAKE_CLIENT_ID, redirect_uri: "https://x.test/cb", state: "s", code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256" })) {
      authorize.searchParams.set(k, v);
    }
    const back = new URL((await fetch(authorize, { redirect: "manual", headers: { "x-fake-seller": String(seller.userId) } })).headers.get("location")!);
    const grant = (form: Record<string, string>) =>
      fetch("https://api.mercadolibre.test/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET, ...form }).toString(),
      });
    const tokens = (await (await grant({ grant_type: "authorization_code", code: back.searchParams.get("code")!, redirect_uri: "https://x.test/cb", code_verifier: verifier })).json()) as any;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 21600, user_id: seller.userId, refresh_token: expect.any(String) });
    expect((await grant({ grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status).toBe(200);
    const reused = await grant({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
  });
});
