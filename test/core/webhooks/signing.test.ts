import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret, signedHeaders, verifySignature } from "../../../src/core/webhooks/signing";

const body = JSON.stringify({ id: "evt_1", type: "validation.completed", data: { job_id: "job_1", títle: "Camiseta ✓" } });
const now = () => Math.floor(Date.now() / 1000);

describe("Standard Webhooks signing", () => {
  it("produces headers the standardwebhooks library verifies", async () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = await signedHeaders([secret], "evt_1", now(), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("matches the library's own signature byte for byte", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ts = 1_700_000_000;
    const ours = await signedHeaders([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", ts, '{"test": 2432232314}');
    expect(ours["webhook-signature"]).toBe(new Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", new Date(ts * 1000), '{"test": 2432232314}'));
  });

  type Tamper = (h: Record<string, string>) => { h: Record<string, string>; b: string };
  it.each<[string, Tamper]>([
    ["the body", (h) => ({ h, b: body.replace("job_1", "job_2") })],
    ["the id", (h) => ({ h: { ...h, "webhook-id": "evt_2" }, b: body })],
    ["the timestamp", (h) => ({ h: { ...h, "webhook-timestamp": String(Number(h["webhook-timestamp"]) - 1) }, b: body })],
  ])("fails verification when %s is tampered with", async (_, tamper) => {
    const secret = generateSecret();
    const { h, b } = tamper(await signedHeaders([secret], "evt_1", now(), body));
    expect(() => new Webhook(secret).verify(b, h)).toThrow(/signature/i);
    expect(await verifySignature(secret, { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] }, b)).toBe(false);
  });

  it("fails with another secret, and with a stale timestamp", async () => {
    const secret = generateSecret();
    const headers = await signedHeaders([secret], "evt_1", now(), body);
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    const old = await signedHeaders([secret], "evt_1", now() - 600, body);
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });

  it("signs with every active secret during a rotation, each verifying on its own", async () => {
    const [fresh, previous] = [generateSecret(), generateSecret()];
    const headers = await signedHeaders([fresh, previous], "evt_1", now(), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(fresh).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    const ours = { id: "evt_1", timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"] };
    expect(await verifySignature(previous, ours, body)).toBe(true);
  });
});
