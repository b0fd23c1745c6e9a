import { z } from "zod";
import { listInvoices } from "../../services/billing/invoices";
import { type AppContext, caller } from "../context";
import { type Api, ApiRoute, mount } from "../route";
import { AUTHED, jsonResponse, problemResponses, Timestamp } from "../schemas";
import { ListQuery, listOf } from "./models/pagination";
// Amounts stay in the currency's minor unit, as Stripe gives them: no float ever touches money.
const Invoice = z
  .object({
    id: z.string().describe("Stripe's invoice id (in_…)"),
    number: z.string().nullable().describe("The number printed on the invoice; null while a draft"),
    status: z.string().describe("draft, open, paid, uncollectible or void"),
    amount_due: z.number().int().describe("In the currency's minor unit (cents)"),
    amount_paid: z.number().int(),
    total: z.number().int(),
    currency: z.string().describe("ISO 4217, lowercase (usd, brl)"),
    period: z.object({ start: Timestamp, end: Timestamp }).describe("The usage period the invoice covers"),
    hosted_invoice_url: z.string().nullable().describe("Stripe's page to view and pay it (card, boleto, Pix as configured)"),
    invoice_pdf: z.string().nullable(),
    created_at: Timestamp,
  })
  .meta({ id: "Invoice" });

export class ListInvoices extends ApiRoute {
  schema = {
    operationId: "listInvoices",
    tags: ["Billing"],
    summary: "List the account's invoices",
    description: "Newest first, as Stripe's invoice events last described them. Empty when billing is off.",
    request: { query: ListQuery },
    responses: { "200": jsonResponse("A page of invoices", listOf(Invoice)), ...problemResponses(...AUTHED) },
  };

  async handle(c: AppContext) {
    const { query } = await this.getValidatedData<typeof this.schema>();
    return listInvoices(c.env, caller(c).accountId, { limit: query.limit, startingAfter: query.starting_after });
  }
}

export function mountBillingInvoices(api: Api) {
  mount(api, "get", "/billing/invoices", ListInvoices);
}
