import { z } from "zod";
import { confirmAccountDeletion, deleteAccount } from "../../services/account-deletion";
import { exportAccountData } from "../../services/account-data";
import { type AppContext, caller } from "../context";
import { bodyReader } from "../middleware/body";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, Timestamp } from "../schemas";

// The account's own data under Brazil's LGPD: a copy of all of it, and its deletion.

export class ExportAccount extends ApiRoute {
  schema = {
    operationId: "exportAccount",
    tags: ["Accounts"],
    summary: "Download everything the account holds, as one ZIP archive",
    description:
      "Every row of the account as NDJSON under `data/` (account, API keys, rule packs and their revisions, mappings and their " +
      "versions, files, uploads, jobs, webhooks, deliveries and attempts, events), each uploaded file under `files/`, and each job's " +
      "issues (in the reader's language), corrected catalog and inline records under `jobs/` while they are kept (`RETENTION_DAYS`). " +
      "Key hashes and webhook secrets are withheld; `README.txt` lists what was withheld and why. The archive is streamed; it stays " +
      "under 4 GiB, and what would not fit is listed in `README.txt` with the endpoint that serves it.",
    responses: {
      "200": { description: "The archive", content: { "application/zip": { schema: z.string().meta({ format: "binary" }) } } },
      ...problemResponses(...AUTHED),
    },
  };

  async handle(c: AppContext) {
    const { accountId } = caller(c);
    const name = `vitrine-${accountId}-${new Date().toISOString().slice(0, 10)}.zip`;
    return new Response(exportAccountData(c.env, accountId, c.get("locale")), {
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store" },
    });
  }
}

export const AccountDeletion = z
  .object({
    account_id: z.string(),
    status: z
      .enum(["deleted", "deleting"])
      .describe("`deleted`: nothing of the account is left (a last sweep follows within 15 minutes); `deleting`: the rest is deleted within minutes"),
    requested_at: Timestamp,
  })
  .meta({ id: "AccountDeletion" });

export class DeleteAccount extends ApiRoute {
  schema = {
    operationId: "deleteAccount",
    tags: ["Accounts"],
    summary: "Delete the account and everything it holds",
    description:
      "For good: every API key is revoked at once, unfinished jobs are cancelled, and every file, result, mapping, rule pack, webhook, " +
      "event and row of the account is deleted. `confirm` must be the account's email. Download a copy first with " +
      "GET /api/v1/account/export. A deletion cut short is finished by the minute cron.",
    request: {
      body: {
        content: {
          "application/json": {
            // An explicit, typed confirmation: a stray DELETE must not erase an account.
            schema: z.object({ confirm: z.string().max(254).describe("The account's email address") }),
          },
        },
      },
    },
    responses: {
      "202": jsonResponse("Deletion done or under way; the key used is already revoked", AccountDeletion),
      ...problemResponses(...AUTHED, 413, 415),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    const { accountId } = caller(c);
    await confirmAccountDeletion(c.env, accountId, body.confirm);
    return c.json(await deleteAccount(c.env, accountId), 202);
  }
}

export function mountAccountData(api: Api) {
  mount(api, "get", "/account/export", ExportAccount);
  mount(api, "delete", "/account", DeleteAccount, { before: [bodyReader("json")] });
}
