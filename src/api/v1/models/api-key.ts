import { z } from "zod";
import { Timestamp } from "../../schemas";

// Signup answers with the account's first key, in the same shape as POST /api-keys.

export const ApiKey = z
  .object({
    id: z.string().describe("key_…"),
    name: z.string(),
    // The prefix lets people tell keys apart in logs and dashboards without revealing them.
    prefix: z.string().describe("The key's first characters, e.g. vt_live_AbC1"),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable().describe("Refreshed at most once a minute"),
    revoked_at: Timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });

export const CreatedApiKey = ApiKey.extend({
  key: z.string().describe("The full secret key. Shown only once."),
}).meta({ id: "CreatedApiKey" });
