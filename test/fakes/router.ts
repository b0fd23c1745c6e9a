/**
 * Outgoing HTTP in the worker tests. vitest.config.ts hands `outboundRouter(...)` to
 * miniflare as `outboundService`, so every `fetch` the Worker (or a test) makes to
 * the outside world lands here — in the Node process running vitest, not in workerd.
 * Each family of outside hosts (webhook receivers, a marketplace, Stripe) is one
 * module in this folder; state a fake keeps lives here and is read back over HTTP.
 */
export interface FakeHost {
  name: string;
  /** True for the hostnames this fake answers. */
  matches(hostname: string): boolean;
  fetch(request: Request): Response | Promise<Response>;
}

export function outboundRouter(fakes: FakeHost[]) {
  return async (request: Request): Promise<Response> => {
    const { hostname } = new URL(request.url);
    const fake = fakes.find((f) => f.matches(hostname));
    // Nothing leaves the machine: an unknown host is a test bug, and says so.
    if (!fake) return new Response(`no fake answers ${hostname}; add one under test/fakes/`, { status: 502, headers: { "x-fake": "none" } });
    return fake.fetch(request);
  };
}
