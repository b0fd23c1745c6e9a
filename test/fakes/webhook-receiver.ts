import type { FakeHost } from "./router.js";

/**
 * Webhook receivers whose behaviour a test scripts, one "bin" per test (a random id,
 * so test files running in parallel never share one):
 *
 *   POST https://hooks.receiver.test/<bin>[/…]       the receiver: answers with the bin's next scripted response
 *   PUT  https://control.receiver.test/bins/<bin>     script it: { responses: Scripted[], otherwise?: Scripted }
 *   GET  https://control.receiver.test/bins/<bin>     what it received: { requests: Received[] }
 *
 * Without a script a bin answers 200 "ok". See webhook-receiver-client.ts for the test side.
 */
export interface Scripted {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (for timeouts). */
  delay_ms?: number;
}

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  received_at: number;
}

interface Bin {
  responses: Scripted[];
  otherwise: Scripted;
  requests: Received[];
}

const bins = new Map<string, Bin>();
const OK: Scripted = { status: 200, body: "ok" };

function bin(id: string): Bin {
  let b = bins.get(id);
  if (!b) bins.set(id, (b = { responses: [], otherwise: OK, requests: [] }));
  return b;
}

async function receive(request: Request, url: URL): Promise<Response> {
  const id = url.pathname.split("/")[1];
  if (!id) return new Response("no bin in path", { status: 404 });
  const b = bin(id);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  b.requests.push({ method: request.method, url: request.url, headers, body: await request.text(), received_at: Date.now() });
  const answer = b.responses.shift() ?? b.otherwise;
  if (answer.delay_ms) await new Promise((resolve) => setTimeout(resolve, answer.delay_ms));
  return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });
}

async function control(request: Request, url: URL): Promise<Response> {
  const match = /^\/bins\/([^/]+)$/.exec(url.pathname);
  if (!match) return new Response("unknown control path", { status: 404 });
  const b = bin(match[1]);
  if (request.method === "PUT") {
    const script = (await request.json()) as { responses?: Scripted[]; otherwise?: Scripted };
    b.responses = [...(script.responses ?? [])];
    b.otherwise = script.otherwise ?? OK;
    return new Response(null, { status: 204 });
  }
  return Response.json({ requests: b.requests });
}

export const webhookReceivers: FakeHost = {
  name: "webhook receivers",
  matches: (hostname) => hostname === "receiver.test" || hostname.endsWith(".receiver.test"),
  fetch(request) {
    const url = new URL(request.url);
    return url.hostname === "control.receiver.test" ? control(request, url) : receive(request, url);
  },
};
