import type { Received, Scripted } from "./webhook-receiver";

/**
 * The test side (in workerd) of the fake webhook receivers: a fresh bin per call.
 * Fetches to *.receiver.test reach the Node-side fake through miniflare's outboundService.
 */
export async function fakeReceiver(script: { responses?: Scripted[]; otherwise?: Scripted } = {}) {
  const bin = crypto.randomUUID();
  const control = `https://control.receiver.test/bins/${bin}`;
  const res = await fetch(control, { method: "PUT", body: JSON.stringify(script) });
  if (res.status !== 204) throw new Error(`fake receiver not reachable: ${res.status} ${await res.text()}`);
  const requests = async () => ((await (await fetch(control)).json()) as { requests: Received[] }).requests;
  return {
    url: `https://hooks.receiver.test/${bin}`,
    requests,
    /** Polls until at least `n` requests arrived (for deliveries made by the real queue consumer). */
    async waitForRequests(n: number, timeoutMs = 10_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = await requests();
        if (got.length >= n || Date.now() > deadline) return got;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

export type { Received, Scripted };
