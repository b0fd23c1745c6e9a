import { type Config, config } from "../../config";
import { accessFor } from "../../connectors";
import { type ProviderAccess, ProviderUnavailableError, type ProviderFetch } from "../../connectors/types";
import type { ConnectorType } from "../../core/connectors/types";
import type { Env } from "../../env";
import { BudgetExhaustedError, ProviderBusyError, ReauthorizationRequiredError } from "./errors";

/** Request slots asked of the gate at once: one gate call covers this many provider requests. */
const PERMIT_BLOCK = 10;
/** Longest a step waits for the provider (429s, an empty bucket) before giving the work back to the queue. */
const MAX_WAIT_MS = 60_000;
/** 429s one step accepts before giving the work back to the queue. */
const MAX_THROTTLES = 20;
/** Retries of a request that failed with a server error or a network error. */
const SERVER_RETRIES = 2;

export function gateOf(env: Env, connectorId: string) {
  return env.CONNECTOR_GATE.get(env.CONNECTOR_GATE.idFromName(connectorId));
}

/** Any implemented provider's access side: its base URL, how a request carries the token, how its answers read. */
function providerOf(env: Env, type: ConnectorType): ProviderAccess {
  const provider = accessFor(type);
  if (!provider?.configured(config(env))) throw new ProviderUnavailableError(`${type} is not configured on this deployment`);
  return provider;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d{1,6}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A connector's requests toward its provider within one step (a plan page, a chunk, a push part):
 * each goes through the connector's gate (token bucket, 429 back-off, the current access token),
 * and every subrequest it makes — provider requests and gate calls — is counted against `budget`,
 * the step's share of the invocation's subrequests, so no step can exceed it.
 */
export class ProviderSession {
  /** Subrequests spent (provider requests + gate calls). */
  used = 0;
  /** Provider requests sent (retries included). */
  requests = 0;
  private allowance = 0;
  private token: string | null = null;
  private refilling: Promise<void> | null = null;
  private throttles = 0;
  private readonly base: string;
  private readonly gate: ReturnType<typeof gateOf>;
  private readonly provider: ProviderAccess;
  private readonly config: Config;
  private readonly sellerId: string | null;

  constructor(
    env: Env,
    connector: { id: string; type: ConnectorType; providerUserId?: string | null },
    private readonly budget: number,
  ) {
    this.provider = providerOf(env, connector.type);
    this.config = config(env);
    this.base = this.provider.apiUrl(this.config);
    this.gate = gateOf(env, connector.id);
    this.sellerId = connector.providerUserId ?? null;
  }

  /** Subrequests this step may still make. */
  get remaining(): number {
    return this.budget - this.used;
  }

  private spend(n: number) {
    if (this.used + n > this.budget) throw new BudgetExhaustedError(`step budget of ${this.budget} subrequests used up`);
    this.used += n;
  }

  private async refill(): Promise<void> {
    const started = Date.now();
    for (;;) {
      this.spend(1);
      const permit = await this.gate.permit(PERMIT_BLOCK);
      switch (permit.kind) {
        case "go":
          this.allowance += permit.granted;
          this.token = permit.accessToken;
          return;
        case "wait":
          if (Date.now() - started + permit.waitMs > MAX_WAIT_MS) throw new ProviderBusyError(`the provider asked to wait ${permit.waitMs} ms`);
          await sleep(permit.waitMs);
          continue;
        case "reauthorize":
          throw new ReauthorizationRequiredError(permit.error, permit.description);
        case "unavailable":
          throw new ProviderUnavailableError(permit.description);
      }
    }
  }

  private async slot(): Promise<string> {
    while (this.allowance <= 0 || !this.token) {
      this.refilling ??= this.refill().finally(() => (this.refilling = null));
      await this.refilling;
    }
    this.allowance--;
    return this.token;
  }

  /** Drops the slots in hand: after a 429 or a refreshed token, the next request asks the gate again. */
  private reset() {
    this.allowance = 0;
    this.token = null;
  }

  readonly fetch: ProviderFetch = async (path, init = {}) => {
    const method = init.method ?? "GET";
    let rejectedOnce = false;
    let serverFailures = 0;
    for (;;) {
      const token = await this.slot();
      this.spend(1);
      this.requests++;
      // Built per attempt: a signed query (Shopee) carries the time and the token of this attempt.
      const url = new URL(this.base + path);
      for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = { accept: "application/json", ...(init.json !== undefined && { "content-type": "application/json" }) };
      await this.provider.authenticate(url, headers, { accessToken: token, sellerId: this.sellerId }, this.config);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
          redirect: "manual",
        });
        if (this.provider.interpret) res = await this.provider.interpret(res);
      } catch (error) {
        if (++serverFailures > SERVER_RETRIES) throw new ProviderUnavailableError(`${method} ${url.pathname}: ${String(error)}`);
        await sleep(500 * serverFailures);
        continue;
      }
      if (res.status === 401) {
        await res.body?.cancel();
        // Once: the token may have expired early; the gate refreshes it (once for everyone). Twice: access is gone.
        if (rejectedOnce) throw new ReauthorizationRequiredError("unauthorized", `${method} ${url.pathname} answered 401 with a fresh token`);
        rejectedOnce = true;
        this.spend(1);
        await this.gate.rejected(token);
        this.reset();
        continue;
      }
      if (res.status === 403 && method === "GET") {
        await res.body?.cancel();
        throw new ReauthorizationRequiredError("forbidden", `${method} ${url.pathname} answered 403`);
      }
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get("retry-after"));
        await res.body?.cancel();
        if (++this.throttles > MAX_THROTTLES) throw new ProviderBusyError(`${this.throttles} answers 429 in one step`);
        this.spend(1);
        await this.gate.throttled(wait);
        this.reset();
        continue;
      }
      if (res.status >= 500 && ++serverFailures <= SERVER_RETRIES) {
        await res.body?.cancel();
        await sleep(500 * serverFailures);
        continue;
      }
      return res;
    }
  };
}
