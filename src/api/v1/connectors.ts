import { z } from "zod";
import { config } from "../../config";
import { text } from "../../core/text";
import { snapshotFromRow } from "../../services/jobs/jobs";
import {
  authorizeConnector,
  createConnector,
  deleteConnector,
  listConnectors,
  requireConnector,
  updateConnector,
} from "../../services/connectors/connectors";
import { handleNotification, type MlNotification, notificationTarget } from "../../services/connectors/notifications";
import { CALLBACK_PATH, CallbackError, cancelCallback, confirmCallback, providerDeclined, readCallback } from "../../services/connectors/oauth";
import { createPush, listPushes, pushItems, requirePush, revertPush } from "../../services/connectors/push";
import { lastDelta, listSyncs } from "../../services/connectors/delta";
import { startSync } from "../../services/connectors/sync";
import { sessionOfRequest } from "../../web/session";
import { readCapped } from "../middleware/body";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount, StreamedBodyRoute } from "../route";
import { AUTHED, IdempotencyHeaders, jsonResponse, problemResponses, QUOTA_HEADERS } from "../schemas";
import { quotaHeaders, quotaState } from "../../services/billing/quota";
import { cancelledPage, confirmationPage, failurePage, PAGE_HEADERS } from "../../web/connector-oauth-pages";
import {
  Connector,
  ConnectorSync,
  connectorView,
  CreateConnectorBody,
  Push,
  PushBody,
  pushItemView,
  pushView,
  PushWithItems,
  RevertBody,
  SyncBody,
  UpdateConnectorBody,
} from "./models/connector";
import { Job, jobView } from "./models/job";
import { ListQuery, listOf } from "./models/pagination";

/** The email sellers share a sheet with (Google Sheets by service account), shown with the connector's verification code. */
const serviceAccountEmail = (c: AppContext) => config(c.env).google?.serviceAccount?.email;

const ConnectorId = z.object({ id: z.string().max(64) });
const PushParams = z.object({ id: z.string().max(64), push_id: z.string().max(64) });
const TAGS = ["Connectors"];

/**
 * The Vitrine account the browser is signed in to through the dashboard, if any (the dashboard's
 * own session lookup): the OAuth callback refuses a confirmation from another signed-in account.
 */
export async function signedInAccount(c: AppContext): Promise<string | undefined> {
  return (await sessionOfRequest(c))?.account.id;
}

export class ListConnectors extends ApiRoute {
  schema = {
    operationId: "listConnectors",
    tags: TAGS,
    summary: "List connectors",
    description: "The account's connected stores and sources, with their status, schedule and last sync. Tokens are never returned.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of connectors, newest first", listOf(Connector)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    const page = await listConnectors(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data.map((row) => connectorView(row, c.get("locale"), undefined, serviceAccountEmail(c))), has_more: page.has_more };
  }
}

export class CreateConnector extends ApiRoute {
  schema = {
    operationId: "createConnector",
    tags: TAGS,
    summary: "Connect a store",
    description:
      "Creates the connector with status pending_authorization and answers its authorize_url: open it in the seller's browser. " +
      "After the seller approves at the marketplace, Vitrine shows which Vitrine account the store will be linked to and asks them to confirm; " +
      "then the connector is active. push_fields (default empty) lists what Vitrine may ever write back.",
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: CreateConnectorBody } } } },
    responses: {
      "201": { ...jsonResponse("The connector, with its authorize_url", Connector), headers: { Location: { description: "The connector's URL", schema: { type: "string" as const } } } },
      ...problemResponses(...AUTHED, 404, 409, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const { row, authorizeUrl } = await createConnector(c.env, caller(c).accountId, body, new URL(c.req.url).origin);
    return c.json(connectorView(row, c.get("locale"), authorizeUrl, serviceAccountEmail(c)), 201, { Location: `/api/v1/connectors/${row.id}` });
  }
}

export class GetConnector extends ApiRoute {
  schema = {
    operationId: "getConnector",
    tags: TAGS,
    summary: "Get a connector",
    description: "Its status (and the provider's reason when it is not active), schedule, defaults and last sync, with what changed in that sync (`sync.last_delta`).",
    request: { params: ConnectorId },
    responses: { "200": jsonResponse("The connector", Connector), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const row = await requireConnector(c.env, caller(c).accountId, params.id);
    return connectorView(row, c.get("locale"), undefined, serviceAccountEmail(c), await lastDelta(c.env, row.lastSyncJobId));
  }
}

export class ListSyncs extends ApiRoute {
  schema = {
    operationId: "listConnectorSyncs",
    tags: TAGS,
    summary: "List a connector's syncs and what changed in each",
    description:
      "Newest first. Each completed full sync is compared with the previous one of the same connector: issues new, resolved and still open " +
      "(keyed by record — SKU or item id, else row — rule and field) and records added and removed.",
    request: { params: ConnectorId, query: ListQuery },
    responses: { "200": jsonResponse("A page of syncs, newest first", listOf(ConnectorSync)), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const row = await requireConnector(c.env, caller(c).accountId, params.id);
    return listSyncs(c.env, row.id, { limit: query.limit, startingAfter: query.starting_after });
  }
}

export class UpdateConnector extends ApiRoute {
  schema = {
    operationId: "updateConnector",
    tags: TAGS,
    summary: "Change a connector's name, schedule or defaults",
    description: "Only the fields sent change. The next sync uses the new settings; one already running keeps its own.",
    request: { params: ConnectorId, body: { content: { "application/json": { schema: UpdateConnectorBody } } } },
    responses: { "200": jsonResponse("The connector", Connector), ...problemResponses(...AUTHED, 404, 415, 422) },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    return connectorView(await updateConnector(c.env, caller(c).accountId, params.id, body), c.get("locale"), undefined, serviceAccountEmail(c));
  }
}

export class DeleteConnector extends ApiRoute {
  schema = {
    operationId: "deleteConnector",
    tags: TAGS,
    summary: "Delete a connector",
    description: "Withdraws the seller's authorization at the marketplace where it can, deletes the stored tokens, and keeps the connector's past sync jobs and their results.",
    request: { params: ConnectorId },
    responses: { "204": { description: "Deleted" }, ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    await deleteConnector(c.env, caller(c).accountId, params.id);
    return c.body(null, 204);
  }
}

export class AuthorizeConnector extends ApiRoute {
  schema = {
    operationId: "authorizeConnector",
    tags: TAGS,
    summary: "Get a new authorize_url",
    description: "For a link that expired (10 minutes), or to authorize again after the seller revoked access (status reauthorization_required).",
    request: { params: ConnectorId, headers: IdempotencyHeaders },
    responses: { "200": jsonResponse("The connector, with a new authorize_url", Connector), ...problemResponses(...AUTHED, 404, 422) },
  };

  async handle(c: AppContext) {
    const { params } = await this.getValidatedData<typeof this.schema>();
    const { row, authorizeUrl } = await authorizeConnector(c.env, caller(c).accountId, params.id, new URL(c.req.url).origin);
    return connectorView(row, c.get("locale"), authorizeUrl, serviceAccountEmail(c));
  }
}

export class SyncConnector extends ApiRoute {
  schema = {
    operationId: "syncConnector",
    tags: TAGS,
    summary: "Sync now: validate the store's live listings",
    description:
      "Answers 202 with the sync's job, a normal validation job (progress, results, issues, corrected records as NDJSON, events) whose source is the connector. " +
      "One sync runs at a time per connector: a second answers 409 naming the running job. With push = dry_run or apply, the corrections are pushed when the job completes.",
    request: { params: ConnectorId, headers: IdempotencyHeaders, body: { content: { "application/json": { schema: SyncBody } } } },
    responses: {
      "202": {
        ...jsonResponse("The sync job, queued", Job),
        headers: { Location: { description: "The job's URL", schema: { type: "string" as const } }, ...QUOTA_HEADERS },
      },
      ...problemResponses(...AUTHED, 404, 409, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const auth = caller(c);
    const row = await startSync(c.env, auth.accountId, params.id, {
      applyFixes: body.apply_fixes ?? body.push !== "none",
      push: body.push,
      trigger: "api",
      locale: c.get("locale"),
    });
    const quota = await quotaState(c.env, auth);
    return c.json(jobView(row, snapshotFromRow(row), c.get("locale")), 202, { Location: `/api/v1/jobs/${row.id}`, ...quotaHeaders(quota) });
  }
}

export class PushConnector extends ApiRoute {
  schema = {
    operationId: "pushConnector",
    tags: TAGS,
    summary: "Push a sync's corrections back to the marketplace",
    description:
      "Sends the corrected values of a completed sync job: only fields the connector's push_fields allows (a push may narrow them), only records whose fixes changed something, " +
      "never a field the marketplace forbids changing on that listing, and only where the marketplace still has the value the sync read. " +
      "Runs in the background, item by item; each item records what was sent, the marketplace's answer and the values before. dry_run records exactly what would be sent and sends nothing.",
    request: { params: ConnectorId, headers: IdempotencyHeaders, body: { content: { "application/json": { schema: PushBody } } } },
    responses: {
      "202": { ...jsonResponse("The push, queued", Push), headers: { Location: { description: "The push's URL", schema: { type: "string" as const } } } },
      ...problemResponses(...AUTHED, 404, 415, 422),
    },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const connector = await requireConnector(c.env, caller(c).accountId, params.id);
    const push = await createPush(c.env, connector, { jobId: body.job_id, fields: body.fields, dryRun: body.dry_run });
    return c.json(pushView(push, c.get("locale")), 202, { Location: `/api/v1/connectors/${connector.id}/pushes/${push.id}` });
  }
}

export class ListPushes extends ApiRoute {
  schema = {
    operationId: "listConnectorPushes",
    tags: TAGS,
    summary: "List a connector's pushes and reverts",
    description: "Pushes and reverts of the connector, newest first, with their counts; GET one for its items.",
    request: { params: ConnectorId, query: ListQuery },
    responses: { "200": jsonResponse("A page of pushes, newest first", listOf(Push)), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const connector = await requireConnector(c.env, caller(c).accountId, params.id);
    const page = await listPushes(c.env, connector, { limit: query.limit, startingAfter: query.starting_after });
    return { data: page.data.map((row) => pushView(row, c.get("locale"))), has_more: page.has_more };
  }
}

export class GetPush extends ApiRoute {
  schema = {
    operationId: "getConnectorPush",
    tags: TAGS,
    summary: "Get a push, item by item",
    description: "The push's counts and, item by item, what was (or would be) sent, the marketplace's answer and the values before. Page the items with `items_limit` and `items_starting_after`.",
    request: {
      params: PushParams,
      query: z.object({
        items_limit: ListQuery.shape.limit,
        items_starting_after: z.string().max(64).optional().describe("Cursor: the item_id of the last item of the previous page"),
      }),
    },
    responses: { "200": jsonResponse("The push and a page of its items", PushWithItems), ...problemResponses(...AUTHED, 404) },
  };

  async handle(c: AppContext) {
    const { params, query } = await this.getValidatedData<typeof this.schema>();
    const connector = await requireConnector(c.env, caller(c).accountId, params.id);
    const push = await requirePush(c.env, connector, params.push_id);
    const items = await pushItems(c.env, push, { limit: query.items_limit, startingAfter: query.items_starting_after });
    return { ...pushView(push, c.get("locale")), items: { data: items.data.map(pushItemView), has_more: items.has_more } };
  }
}

export class RevertPush extends ApiRoute {
  schema = {
    operationId: "revertConnectorPush",
    tags: TAGS,
    summary: "Undo a push",
    description:
      "Writes the recorded previous values back, for the items the marketplace accepted — field by field, only where the marketplace still has the value the push sent. " +
      "The revert is itself a push (kind revert), recorded item by item.",
    request: { params: PushParams, headers: IdempotencyHeaders, body: { content: { "application/json": { schema: RevertBody } } } },
    responses: { "202": jsonResponse("The revert, queued", Push), ...problemResponses(...AUTHED, 404, 415, 422) },
  };

  async handle(c: AppContext) {
    const { params, body } = await this.getValidatedData<typeof this.schema>();
    const connector = await requireConnector(c.env, caller(c).accountId, params.id);
    const revert = await revertPush(c.env, connector, params.push_id, body.dry_run);
    return c.json(pushView(revert, c.get("locale")), 202);
  }
}

const Html = { "text/html": { schema: z.string() } };

export class OAuthCallback extends ApiRoute {
  schema = {
    operationId: "connectorOAuthCallback",
    tags: TAGS,
    summary: "Where the marketplace sends the seller back (a page, not JSON)",
    description:
      "Public. Checks the signed, single-use state (10 minutes) and shows which Vitrine account the store will be linked to, with a confirm button; " +
      "or, when the marketplace reports an error or the state is invalid, expired or used, a page saying why (the connector then carries the provider's reason).",
    security: [],
    request: {
      query: z.object({
        code: z.string().max(512).optional(),
        state: z.string().max(1024).optional(),
        shop_id: z.string().max(20).optional().describe("Shopee: the shop the seller authorized (sent beside the code)"),
        error: z.string().max(200).optional(),
        error_description: z.string().max(1000).optional(),
      }),
    },
    responses: { "200": { description: "The confirmation page, or why the store cannot be linked", content: Html }, ...problemResponses(400) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    const locale = c.get("locale");
    try {
      if (query.error) {
        await providerDeclined(c.env, query.state ?? "", query.error, query.error_description ?? "");
        return c.html(failurePage(locale, text(`The marketplace answered: ${query.error}.`, `O marketplace respondeu: ${query.error}.`)), 200, PAGE_HEADERS);
      }
      const context = await readCallback(c.env, query.state);
      return c.html(confirmationPage(locale, context, query.code ?? "", CALLBACK_PATH, query.shop_id), 200, PAGE_HEADERS);
    } catch (error) {
      if (!(error instanceof CallbackError)) throw error;
      return c.html(failurePage(locale, error.reason), 200, PAGE_HEADERS);
    }
  }
}

const ConfirmForm = z.object({
  state: z.string().max(1024),
  code: z.string().max(512),
  shop_id: z.string().max(20).optional(),
  decision: z.enum(["confirm", "cancel"]),
});

export class OAuthConfirm extends StreamedBodyRoute {
  schema = {
    operationId: "confirmConnectorOAuth",
    tags: TAGS,
    summary: "The confirmation page's form: link the store (or cancel)",
    description:
      "Public; posted by the confirmation page. Uses the state up, exchanges the code (PKCE) and, on success, redirects (303) to the connector's dashboard page with the connector active. " +
      "A failure shows a page saying why and leaves the connector in status error with the marketplace's reason.",
    security: [],
    request: { body: { content: { "application/x-www-form-urlencoded": { schema: ConfirmForm } } } },
    responses: {
      "200": { description: "Why the store was not linked, or that it was cancelled", content: Html },
      "303": { description: "Linked: the browser goes to the connector's page", headers: { Location: { description: "The dashboard's connector page", schema: { type: "string" as const } } } },
      ...problemResponses(400, 413),
    },
  };

  async handle(c: AppContext) {
    const locale = c.get("locale");
    const form = new URLSearchParams(await readCapped(c.req.raw, 8 * 1024));
    const input = { state: form.get("state") ?? undefined, code: form.get("code") ?? undefined, shopId: form.get("shop_id") ?? undefined };
    try {
      if (form.get("decision") !== "confirm") {
        await cancelCallback(c.env, input.state);
        return c.html(cancelledPage(locale), 200, PAGE_HEADERS);
      }
      const outcome = await confirmCallback(c.env, input, await signedInAccount(c));
      if (outcome.linked) return c.redirect(outcome.location, 303);
      return c.html(failurePage(locale, outcome.reason), 200, PAGE_HEADERS);
    } catch (error) {
      if (!(error instanceof CallbackError)) throw error;
      return c.html(failurePage(locale, error.reason), 200, PAGE_HEADERS);
    }
  }
}

const Notification = z
  .object({
    resource: z.string().max(300).optional(),
    user_id: z.union([z.number(), z.string().max(30)]).optional(),
    topic: z.string().max(100).optional(),
    application_id: z.union([z.number(), z.string().max(30)]).optional(),
    attempts: z.number().optional(),
    sent: z.string().max(64).optional(),
    received: z.string().max(64).optional(),
  })
  .describe("Mercado Livre's notification body");

export class MercadoLivreNotification extends ApiRoute {
  schema = {
    operationId: "mercadoLivreNotification",
    tags: TAGS,
    summary: "Mercado Livre notifications (set as the application's notification URL)",
    description:
      "Public; answers 200 at once. Acts only on notifications for this deployment's application (application_id), on the items topic, about an item (/items/MLB…): " +
      "the item is read with its seller's own token and, if its content changed since it was last validated, queued for re-validation (bursts about one item coalesce). " +
      "Anything else, including unknown sellers, is ignored with 200.",
    security: [],
    request: { body: { content: { "application/json": { schema: Notification } } } },
    responses: { "200": jsonResponse("Received", z.object({ received: z.literal(true) })), ...problemResponses(400, 413, 415) },
  };

  async handle(c: AppContext) {
    const body = (c.get("body") ?? {}) as MlNotification;
    const target = notificationTarget(c.env, body);
    if (target) c.executionCtx.waitUntil(handleNotification(c.env, target));
    return { received: true as const };
  }
}

export function mountConnectors(api: Api) {
  // Public routes first: their static paths must not be read as a connector id.
  mount(api, "get", "/connectors/oauth/callback", OAuthCallback, { public: true });
  mount(api, "post", "/connectors/oauth/callback", OAuthConfirm, { public: true, body: "stream" });
  mount(api, "post", "/connectors/notifications/mercadolivre", MercadoLivreNotification, { public: true });
  mount(api, "get", "/connectors", ListConnectors);
  mount(api, "post", "/connectors", CreateConnector, { idempotent: true });
  mount(api, "get", "/connectors/:id", GetConnector);
  mount(api, "patch", "/connectors/:id", UpdateConnector);
  mount(api, "delete", "/connectors/:id", DeleteConnector);
  mount(api, "post", "/connectors/:id/authorize", AuthorizeConnector, { idempotent: true });
  mount(api, "post", "/connectors/:id/sync", SyncConnector, { idempotent: true });
  mount(api, "post", "/connectors/:id/push", PushConnector, { idempotent: true });
  mount(api, "get", "/connectors/:id/pushes", ListPushes);
  mount(api, "get", "/connectors/:id/syncs", ListSyncs);
  mount(api, "get", "/connectors/:id/pushes/:push_id", GetPush);
  mount(api, "post", "/connectors/:id/pushes/:push_id/revert", RevertPush, { idempotent: true });
}
