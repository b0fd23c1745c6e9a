import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { positiveIntVar } from "../../env";
import { EmailTakenError, getAccount, signUp } from "../../services/accounts";
import { consume } from "../../services/rate-limits";
import { type AppContext, caller } from "../context";
import { ProblemError } from "../problems";
import { AUTHED, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { CreatedApiKey } from "./api-keys";

export const Account = z
  .object({
    id: z.string().describe("acct_…"),
    name: z.string(),
    email: z.string(),
    plan: z.enum(["free", "pro", "business", "enterprise"]),
    created_at: Timestamp,
  })
  .meta({ id: "Account" });

export class SignUp extends OpenAPIRoute {
  schema = {
    operationId: "signUp",
    tags: ["Accounts"],
    summary: "Create an account on the Free plan and its first API key",
    description: "The full key is returned only in this response: store it now. Signups are rate-limited per client IP.",
    security: [],
    request: {
      body: {
        content: {
          "application/json": {
            schema: z.object({
              email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
              // Names are shown in the dashboard and on invoices; 1–100 visible characters.
              name: z.string().trim().min(1).max(100),
            }),
          },
        },
      },
    },
    responses: {
      "201": jsonResponse("Account created", z.object({ account: Account, api_key: CreatedApiKey })),
      ...problemResponses(400, 409, 429),
    },
  };

  async handle(c: AppContext) {
    const ip = c.req.header("cf-connecting-ip") ?? "local";
    const decision = await consume(c.env, `signup:${ip}`, positiveIntVar(c.env.SIGNUP_LIMIT_PER_HOUR, 20), 3_600_000);
    if (!decision.allowed) {
      throw new ProblemError("rate_limited", {
        en: `Too many signups from this address. Retry in ${decision.retryAfter} s.`,
        "pt-BR": `Cadastros demais a partir deste endereço. Tente de novo em ${decision.retryAfter} s.`,
      }, { headers: { "Retry-After": String(decision.retryAfter) } });
    }
    const { body } = await this.getValidatedData<typeof this.schema>();
    try {
      return c.json(await signUp(c.env, body), 201);
    } catch (error) {
      if (error instanceof EmailTakenError) {
        throw new ProblemError("conflict", {
          en: "An account with this email already exists.",
          "pt-BR": "Já existe uma conta com este e-mail.",
        });
      }
      throw error;
    }
  }
}

export class GetAccount extends OpenAPIRoute {
  schema = {
    operationId: "getAccount",
    tags: ["Accounts"],
    summary: "Get the caller's account",
    responses: { "200": jsonResponse("The account", Account), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const account = await getAccount(c.env, caller(c).accountId);
    if (!account) throw new Error("authenticated key without an account");
    return account;
  }
}
