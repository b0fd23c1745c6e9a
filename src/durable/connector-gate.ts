import { DurableObject } from "cloudflare:workers";
import { config } from "../config";
import { accessFor } from "../connectors";
import { GrantRefusedError, ProviderUnavailableError, type TokenGrant } from "../connectors/types";
import { sha256Hex } from "../core/hash";
import type { ConnectorType } from "../core/connectors/types";
import type { Env } from "../env";
import { openSecret, sealSecret } from "../services/encryption";

/** Access tokens are refreshed this long before they expire, so no request goes out with a dying one. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Without Retry-After, back-off doubles from 1 s up to this. */
const MAX_BACKOFF_MS = 60_000;

interface StoredTokens {
  /** Sealed with ENCRYPTION_KEY, bound to the connector id. */
  access: string;
  refresh: string;
  /** SHA-256 of the access token: tells which token a 401 was about without opening it. */
  accessHash: string;
  expiresAt: number;
  userId: string;
  scope: string;
  /** A service account's token (Google Sheets): minted again from its key instead of refreshed. */
  kind?: "service_account";
}

interface GateState {
  connectorId: string;
  type: ConnectorType;
  tokens: StoredTokens | null;
  /** The provider refused the refresh token: only a new authorization helps. */
  revoked: { at: number; error: string; description: string } | null;
  refreshes: number;
  blockedUntil: number;
}

/** What a request may do now. */
export type Permit =
  | { kind: "go"; accessToken: string; granted: number }
  | { kind: "wait"; waitMs: number }
  | { kind: "reauthorize"; error: string; description: string }
  | { kind: "unavailable"; description: string };

export type ConnectResult = { ok: true; userId: string; scope: string } | { ok: false; refused: boolean; error: string; description: string };

/**
 * One per connector. Holds the connector's tokens (sealed at rest, never handed out except the
 * access token a request needs), refreshes them one at a time — Mercado Livre refresh tokens are
 * single use, so two requests that find an expired token must cause exactly one refresh — keeps
 * its token bucket toward the provider, and blocks everyone after a 429 for Retry-After (or an
 * exponential back-off with jitter).
 */
export class ConnectorGate extends DurableObject<Env> {
  private state: GateState | null = null;
  private accessToken: string | null = null;
  private refreshing: Promise<Permit | null> | null = null;
  private bucket = { level: -1, at: 0 };
  private throttles = { count: 0, last: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<GateState>("gate")) ?? null;
    });
  }

  private async save() {
    if (this.state) await this.ctx.storage.put("gate", this.state);
  }

  private provider(type: ConnectorType) {
    const provider = accessFor(type);
    if (!provider) throw new Error(`no provider for connector type ${type}`);
    return provider;
  }

  private async keep(connectorId: string, type: ConnectorType, grant: TokenGrant, now: number, kind?: StoredTokens["kind"]) {
    const s = (this.state ??= { connectorId, type, tokens: null, revoked: null, refreshes: 0, blockedUntil: 0 });
    s.tokens = {
      access: await sealSecret(this.env, grant.accessToken, connectorId),
      refresh: await sealSecret(this.env, grant.refreshToken, connectorId),
      accessHash: await sha256Hex(grant.accessToken),
      expiresAt: now + grant.expiresIn * 1000,
      userId: grant.userId,
      scope: grant.scope,
      ...(kind && { kind }),
    };
    s.revoked = null;
    this.accessToken = grant.accessToken;
    await this.save();
  }

  /** Exchanges an authorization code (with its PKCE verifier) and keeps the tokens. */
  async authorize(input: { connectorId: string; type: ConnectorType; code: string; codeVerifier: string; redirectUri: string; sellerId?: string }): Promise<ConnectResult> {
    const oauth = this.provider(input.type).oauth(config(this.env));
    try {
      const grant = await oauth.exchange({ code: input.code, codeVerifier: input.codeVerifier, redirectUri: input.redirectUri, sellerId: input.sellerId });
      await this.keep(input.connectorId, input.type, grant, Date.now());
      return { ok: true, userId: grant.userId, scope: grant.scope };
    } catch (error) {
      if (error instanceof GrantRefusedError) return { ok: false, refused: true, error: error.error, description: error.description };
      if (error instanceof ProviderUnavailableError) return { ok: false, refused: false, error: "provider_unavailable", description: error.message };
      throw error;
    }
  }

  /** Takes a token of the deployment's service account (no seller consent: the seller shared the sheet with it). */
  async connectServiceAccount(input: { connectorId: string; type: ConnectorType }): Promise<ConnectResult> {
    const tokens = this.provider(input.type).serviceAccount?.(config(this.env));
    if (!tokens) return { ok: false, refused: true, error: "no_service_account", description: "this connector type has no service account" };
    try {
      const grant = await tokens.token();
      await this.keep(input.connectorId, input.type, grant, Date.now(), "service_account");
      return { ok: true, userId: grant.userId, scope: grant.scope };
    } catch (error) {
      if (error instanceof GrantRefusedError) return { ok: false, refused: true, error: error.error, description: error.description };
      if (error instanceof ProviderUnavailableError) return { ok: false, refused: false, error: "provider_unavailable", description: error.message };
      throw error;
    }
  }

  /** The refresh runs once however many requests are waiting for it; the new refresh token replaces the old before anyone uses it. */
  private refresh(s: GateState): Promise<Permit | null> {
    this.refreshing ??= (async () => {
      try {
        if (!s.tokens) return { kind: "reauthorize", error: "not_authorized", description: "the connector holds no authorization" } as Permit;
        const provider = this.provider(s.type);
        const kind = s.tokens.kind;
        const grant =
          kind === "service_account" && provider.serviceAccount
            ? await provider.serviceAccount(config(this.env)).token()
            : await provider.oauth(config(this.env)).refresh(await openSecret(this.env, s.tokens.refresh, s.connectorId), s.tokens.userId);
        s.refreshes++;
        await this.keep(s.connectorId, s.type, grant, Date.now(), kind);
        return null;
      } catch (error) {
        if (error instanceof ProviderUnavailableError) return { kind: "unavailable", description: error.message } as Permit;
        if (!(error instanceof GrantRefusedError)) throw error;
        s.revoked = { at: Date.now(), error: error.error, description: error.description };
        s.tokens = null;
        this.accessToken = null;
        await this.save();
        return { kind: "reauthorize", error: error.error, description: error.description } as Permit;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private refill(type: ConnectorType, now: number) {
    const policy = this.provider(type).ratePolicy(config(this.env));
    const perMs = policy.perMinute / 60_000;
    if (this.bucket.level < 0) this.bucket = { level: policy.burst, at: now };
    this.bucket.level = Math.min(policy.burst, this.bucket.level + (now - this.bucket.at) * perMs);
    this.bucket.at = now;
    return perMs;
  }

  /**
   * Up to `requests` requests may go now with the returned access token — or wait, or the seller
   * must authorize again, or the provider cannot be reached to refresh the token.
   */
  async permit(requests: number): Promise<Permit> {
    const s = this.state;
    if (!s?.tokens) {
      return { kind: "reauthorize", error: s?.revoked?.error ?? "not_authorized", description: s?.revoked?.description ?? "the connector holds no authorization" };
    }
    const now = Date.now();
    if (s.blockedUntil > now) return { kind: "wait", waitMs: s.blockedUntil - now };
    if (s.tokens.expiresAt - now < REFRESH_MARGIN_MS) {
      const refused = await this.refresh(s);
      if (refused) return refused;
      return this.permit(requests);
    }
    const perMs = this.refill(s.type, now);
    if (this.bucket.level < 1) return { kind: "wait", waitMs: Math.ceil((1 - this.bucket.level) / perMs) };
    const granted = Math.max(1, Math.min(requests, Math.floor(this.bucket.level)));
    this.bucket.level -= granted;
    this.accessToken ??= await openSecret(this.env, s.tokens.access, s.connectorId);
    return { kind: "go", accessToken: this.accessToken, granted };
  }

  /** A request got 401 with this token: the next permit refreshes it (once, whoever reports it first). */
  async rejected(accessToken: string): Promise<void> {
    const s = this.state;
    if (!s?.tokens || (await sha256Hex(accessToken)) !== s.tokens.accessHash) return;
    s.tokens.expiresAt = 0;
    await this.save();
  }

  /** The provider answered 429: nobody sends until Retry-After has passed (plus jitter), or a doubling back-off without it. */
  async throttled(retryAfterMs: number | null): Promise<number> {
    const s = this.state;
    if (!s) return 0;
    const now = Date.now();
    this.throttles.count = now - this.throttles.last > MAX_BACKOFF_MS ? 1 : this.throttles.count + 1;
    this.throttles.last = now;
    const base = retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.throttles.count - 1));
    const until = now + base + Math.floor(Math.random() * Math.min(1000, base / 4 + 100));
    if (until > s.blockedUntil) {
      s.blockedUntil = until;
      await this.save();
    }
    return s.blockedUntil - now;
  }

  /** Forgets the connector: its tokens and everything else. */
  async forget(): Promise<void> {
    this.state = null;
    this.accessToken = null;
    await this.ctx.storage.deleteAll();
  }

  /** What the gate knows, never the tokens themselves. */
  inspect() {
    const s = this.state;
    return {
      authorized: Boolean(s?.tokens),
      revoked: s?.revoked ? { error: s.revoked.error, description: s.revoked.description } : null,
      refreshes: s?.refreshes ?? 0,
      blockedUntil: s?.blockedUntil ?? 0,
      userId: s?.tokens?.userId ?? null,
    };
  }
}
