import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { config } from "../../config";
import { text } from "../../core/text";
import { getAccount, signUp } from "../../services/accounts";
import { accountPlan } from "../../services/billing/plan-state";
import { consume } from "../../services/rate-limits";
import { type AppContext, type AppEnv, caller } from "../context";
import { ApiProblem } from "../problems";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { CreatedApiKey } from "./models/api-key";

export const Account = z
  .object({
    id: z.string().describe("acct_…"),
    name: z.string(),
    email: z.string(),
    plan: z.enum(["free", "pro", "business", "enterprise"]),
    created_at: Timestamp,
  })
  .meta({ id: "Account" });

/**
 * Who is signing up, for the per-address limit. On Cloudflare the platform sets CF-Connecting-IP
 * (clients cannot forge it); anywhere else anyone can send it, so every local signup counts as
 * one subject rather than letting a made-up header buy a fresh bucket.
 */
function signupSubject(c: AppContext): string {
  const address = config(c.env).production ? c.req.header("cf-connecting-ip") : undefined;
  return `signup:${address ?? "local"}`;
}

/** Signups are limited per client address before anything else is read. */
const signupLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const decision = await consume(c.env, signupSubject(c), config(c.env).signupLimitPerHour, 3_600_000);
  if (!decision.allowed) {
    throw new ApiProblem(
      "rate_limited",
      text(`Too many signups from this address. Retry in ${decision.retryAfter} s.`, `Cadastros demais a partir deste endereço. Tente de novo em ${decision.retryAfter} s.`),
      { retry_after: decision.retryAfter },
    );
  }
  await next();
};

export class SignUp extends ApiRoute {
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
      ...problemResponses(400, 409, 413, 415, 429),
    },
  };

  async handle(c: AppContext) {
    const { body } = await this.getValidatedData<typeof this.schema>();
    return c.json(await signUp(c.env, body), 201);
  }
}

// The plan as it stands now: `plan` is the one whose allowances apply (a past_due subscription past its grace falls back to Free's).
export const AccountWithPlan = Account.extend({
  plan_status: z
    .enum(["active", "past_due", "canceled", "none"])
    .describe("The subscription behind the plan; none: no subscription (Free, or a plan the operator set)"),
  current_period: z.object({ start: Timestamp, end: Timestamp }).describe("The period usage is counted in: São Paulo's calendar month, or the subscription's"),
  grace_until: Timestamp.nullable().describe("past_due: until when the paid plan's allowances still apply"),
}).meta({ id: "AccountWithPlan" });

export class GetAccount extends ApiRoute {
  schema = {
    operationId: "getAccount",
    tags: ["Accounts"],
    summary: "Get the caller's account, with its plan and the plan's status",
    description: "The account the API key belongs to: its id, name, email, plan, the plan's status and the current billing period.",
    responses: { "200": jsonResponse("The account", AccountWithPlan), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const accountId = caller(c).accountId;
    const [account, state] = await Promise.all([getAccount(c.env, accountId), accountPlan(c.env, accountId)]);
    if (!account) throw new Error("authenticated key without an account");
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      ...account,
      plan: state.plan,
      plan_status: state.status,
      current_period: { start: iso(state.period_start), end: iso(state.period_end) },
      grace_until: state.grace_until === null ? null : iso(state.grace_until),
    };
  }
}

export function mountAccounts(api: Api) {
  mount(api, "post", "/signup", SignUp, { public: true, before: [signupLimit] });
  mount(api, "get", "/account", GetAccount);
}
