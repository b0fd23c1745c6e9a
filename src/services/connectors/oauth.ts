import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { config } from "../../config";
import { accessFor } from "../../connectors";
import { pkceChallenge, pkceVerifier, signState, STATE_TTL_MS, verifyState } from "../../core/connectors/oauth";
import { VitrineError } from "../../core/errors";
import { randomBase62 } from "../../core/ids";
import { type Text, text } from "../../core/text";
import { database } from "../../db/client";
import { accounts, type ConnectorRow, connectorOauthStates, connectors } from "../../db/schema";
import type { Env } from "../../env";
import { openSecret, sealSecret } from "../encryption";
import { nextSyncAt } from "./schedules";
import { gateOf } from "./session";

/** The path the provider sends the seller back to; PUBLIC_URL + this is the redirect URI to register. */
export const CALLBACK_PATH = "/api/v1/connectors/oauth/callback";
/** Where the browser goes once a store is linked: the dashboard's page of the connector. */
export const connectorPage = (id: string) => `/app/connectors/${id}`;

const encoder = new TextEncoder();
const DEV_STATE_SEED = "vitrine development-only oauth state key";

/** The HMAC key of states: derived from ENCRYPTION_KEY (or the development seed), never stored. */
async function stateKey(env: Env): Promise<Uint8Array<ArrayBuffer>> {
  const material = env.ENCRYPTION_KEY || (config(env).production ? "" : DEV_STATE_SEED);
  if (!material) throw new Error("ENCRYPTION_KEY is required to sign OAuth states");
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`vitrine/oauth-state/v1\u0000${material}`)));
}

/** PUBLIC_URL's callback; without PUBLIC_URL, development uses the request's own origin. */
export function redirectUri(env: Env, origin: string): string {
  const c = config(env);
  if (c.publicUrl) return c.publicUrl + CALLBACK_PATH;
  if (c.production) {
    throw new VitrineError(
      "unprocessable",
      text(
        "PUBLIC_URL is not set: a connector cannot be authorized without the deployment's own address (see docs/mercadolivre.md).",
        "PUBLIC_URL não está definida: não é possível autorizar um conector sem o endereço desta instalação (veja docs/mercadolivre.md).",
      ),
    );
  }
  return origin + CALLBACK_PATH;
}

/**
 * A fresh authorize_url: a signed state bound to the account and connector, valid ten minutes and
 * single use, with a PKCE verifier kept (sealed) on our side.
 */
export async function beginAuthorization(env: Env, connector: ConnectorRow, origin: string): Promise<string> {
  const provider = accessFor(connector.type)!;
  const now = Date.now();
  const nonce = randomBase62(24);
  const verifier = pkceVerifier();
  const redirect = redirectUri(env, origin);
  const db = database(env.DB);
  await db.batch([
    // Expired states of every connector go as new ones are made, so the table stays small.
    db.delete(connectorOauthStates).where(lt(connectorOauthStates.expiresAt, now - STATE_TTL_MS)),
    db.insert(connectorOauthStates).values({
      nonce,
      accountId: connector.accountId,
      connectorId: connector.id,
      verifierSealed: await sealSecret(env, verifier, nonce),
      redirectUri: redirect,
      expiresAt: now + STATE_TTL_MS,
      usedAt: null,
      createdAt: now,
    }),
  ]);
  const state = await signState(await stateKey(env), { account: connector.accountId, connector: connector.id, nonce, expires: now + STATE_TTL_MS });
  return provider.oauth(config(env)).authorizeUrl({ state, codeChallenge: await pkceChallenge(verifier), redirectUri: redirect });
}

/** Why a callback cannot link a store, for the failure page. */
export class CallbackError extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

const STATE_PROBLEMS = {
  malformed: text("The link is incomplete or was changed.", "O link está incompleto ou foi alterado."),
  signature: text("The link was not made by this Vitrine, or was changed.", "O link não foi criado por este Vitrine, ou foi alterado."),
  expired: text(
    "The link expired (links are valid for 10 minutes). Start again from the connector.",
    "O link expirou (links valem por 10 minutos). Comece de novo pelo conector.",
  ),
  used: text("This link was already used. Start again from the connector.", "Este link já foi usado. Comece de novo pelo conector."),
  gone: text("The connector no longer exists.", "O conector não existe mais."),
};

export interface CallbackContext {
  state: string;
  account: { id: string; name: string; email: string };
  connector: { id: string; name: string; type: string };
}

/** Checks a callback's state (signature, expiry, not used yet) and names the account and connector it would link. */
export async function readCallback(env: Env, state: string | undefined): Promise<CallbackContext> {
  if (!state) throw new CallbackError(STATE_PROBLEMS.malformed);
  const check = await verifyState(await stateKey(env), state, Date.now());
  if (!check.ok) throw new CallbackError(STATE_PROBLEMS[check.reason]);
  const { payload } = check;
  const db = database(env.DB);
  const [stored] = await db.select().from(connectorOauthStates).where(eq(connectorOauthStates.nonce, payload.nonce)).limit(1);
  if (!stored || stored.accountId !== payload.account || stored.connectorId !== payload.connector) throw new CallbackError(STATE_PROBLEMS.signature);
  if (stored.usedAt !== null) throw new CallbackError(STATE_PROBLEMS.used);
  const [connector] = await db
    .select()
    .from(connectors)
    .where(and(eq(connectors.id, payload.connector), eq(connectors.accountId, payload.account)))
    .limit(1);
  const [account] = await db.select().from(accounts).where(eq(accounts.id, payload.account)).limit(1);
  if (!connector || !account) throw new CallbackError(STATE_PROBLEMS.gone);
  return {
    state,
    account: { id: account.id, name: account.name, email: account.email },
    connector: { id: connector.id, name: connector.name, type: connector.type },
  };
}

/** Uses a state once: true for the one request that consumed it. */
async function consume(env: Env, nonce: string, now: number) {
  const [row] = await database(env.DB)
    .update(connectorOauthStates)
    .set({ usedAt: now })
    .where(and(eq(connectorOauthStates.nonce, nonce), isNull(connectorOauthStates.usedAt), gt(connectorOauthStates.expiresAt, now)))
    .returning();
  return row ?? null;
}

async function setStatus(env: Env, connector: { id: string; accountId: string }, values: Partial<ConnectorRow>) {
  await database(env.DB)
    .update(connectors)
    .set({ ...values, updatedAt: Date.now() })
    .where(and(eq(connectors.id, connector.id), eq(connectors.accountId, connector.accountId)));
}

/** The provider sent the seller back with an error (they declined, or the request was refused). */
export async function providerDeclined(env: Env, state: string, error: string, description: string): Promise<CallbackContext> {
  const context = await readCallback(env, state);
  const check = await verifyState(await stateKey(env), state, Date.now());
  if (check.ok) await consume(env, check.payload.nonce, Date.now());
  const name = accessFor(context.connector.type as ConnectorRow["type"])?.name ?? context.connector.type;
  await setStatus(env, { id: context.connector.id, accountId: context.account.id }, {
    status: "error",
    problem: { code: `provider.${error}`.slice(0, 100), message: text(`${name} answered: ${error} ${description}`.trim(), `${name} respondeu: ${error} ${description}`.trim()) },
  });
  return context;
}

export type ConfirmOutcome = { linked: true; connectorId: string; location: string } | { linked: false; context: CallbackContext; reason: Text };

/**
 * The person confirmed linking their store to the account the page named: the state is used up,
 * the code (with its PKCE verifier) is exchanged inside the connector's gate, which keeps the
 * tokens, and the connector becomes active. `signedInAccount` is the dashboard session's account,
 * when the browser has one: it must be the account the link was started from.
 */
export async function confirmCallback(env: Env, input: { state?: string; code?: string; shopId?: string }, signedInAccount: string | undefined): Promise<ConfirmOutcome> {
  const context = await readCallback(env, input.state);
  if (signedInAccount !== undefined && signedInAccount !== context.account.id) {
    throw new CallbackError(
      text(
        "You are signed in to Vitrine with another account than the one this link was made for. Sign in with that account, or start again from yours.",
        "Você está conectado ao Vitrine com outra conta, diferente daquela para a qual este link foi criado. Entre com essa conta, ou comece de novo pela sua.",
      ),
    );
  }
  if (!input.code || input.code.length > 512) throw new CallbackError(STATE_PROBLEMS.malformed);
  // Shopee names the shop beside the code (it is needed to exchange it); other providers send none.
  if (input.shopId !== undefined && input.shopId !== "" && !/^\d{1,20}$/.test(input.shopId)) throw new CallbackError(STATE_PROBLEMS.malformed);
  const check = await verifyState(await stateKey(env), context.state, Date.now());
  if (!check.ok) throw new CallbackError(STATE_PROBLEMS[check.reason]);
  const stored = await consume(env, check.payload.nonce, Date.now());
  if (!stored) throw new CallbackError(STATE_PROBLEMS.used);
  const connector = { id: context.connector.id, accountId: context.account.id };
  const result = await gateOf(env, connector.id).authorize({
    connectorId: connector.id,
    type: context.connector.type as ConnectorRow["type"],
    code: input.code,
    codeVerifier: await openSecret(env, stored.verifierSealed, stored.nonce),
    redirectUri: stored.redirectUri,
    ...(input.shopId && { sellerId: input.shopId }),
  });
  if (!result.ok) {
    const name = accessFor(context.connector.type as ConnectorRow["type"])?.name ?? context.connector.type;
    const reason = text(
      `${name} did not accept the authorization (${result.error}${result.description ? `: ${result.description}` : ""}).`,
      `${name} não aceitou a autorização (${result.error}${result.description ? `: ${result.description}` : ""}).`,
    );
    await setStatus(env, connector, { status: "error", problem: { code: `provider.${result.error}`.slice(0, 100), message: reason } });
    return { linked: false, context, reason };
  }
  const [row] = await database(env.DB).select().from(connectors).where(eq(connectors.id, connector.id)).limit(1);
  await setStatus(env, connector, {
    status: "active",
    problem: null,
    providerUserId: result.userId,
    nextSyncAt: row ? nextSyncAt({ ...row, status: "active" }) : null,
  });
  return { linked: true, connectorId: connector.id, location: connectorPage(connector.id) };
}

/** The person declined on our confirmation page: the state is used up and nothing is linked. */
export async function cancelCallback(env: Env, state: string | undefined): Promise<void> {
  const context = await readCallback(env, state);
  const check = await verifyState(await stateKey(env), context.state, Date.now());
  if (check.ok) await consume(env, check.payload.nonce, Date.now());
}
