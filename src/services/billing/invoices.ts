import { and, desc, eq, lt, or } from "drizzle-orm";
import { VitrineError } from "../../core/errors";
import { text } from "../../core/text";
import { database } from "../../db/client";
import type { Page, PageQuery } from "../../db/paginate";
import { invoices } from "../../db/schema";
import type { Env } from "../../env";

export interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  amount_due: number;
  amount_paid: number;
  total: number;
  currency: string;
  period: { start: string; end: string };
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  created_at: string;
}

function view(row: typeof invoices.$inferSelect): InvoiceView {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    amount_due: row.amountDue,
    amount_paid: row.amountPaid,
    total: row.total,
    currency: row.currency,
    period: { start: new Date(row.periodStart).toISOString(), end: new Date(row.periodEnd).toISOString() },
    hosted_invoice_url: row.hostedInvoiceUrl,
    invoice_pdf: row.invoicePdf,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

/**
 * The account's invoices, newest first, from our own store (kept current by Stripe's invoice
 * events): listing never waits on Stripe. Stripe's ids do not sort by time, so the cursor is the
 * last invoice's (created, id).
 */
export async function listInvoices(env: Env, accountId: string, page: PageQuery): Promise<Page<InvoiceView>> {
  const db = database(env.DB);
  let cursor;
  if (page.startingAfter) {
    const [last] = await db
      .select({ createdAt: invoices.createdAt, id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.accountId, accountId), eq(invoices.id, page.startingAfter)))
      .limit(1);
    if (!last) {
      throw new VitrineError("invalid_request", text("starting_after must be an invoice of this account.", "starting_after deve ser uma fatura desta conta."), {
        errors: [{ detail: text("unknown invoice", "fatura desconhecida"), parameter: "starting_after" }],
      });
    }
    cursor = or(lt(invoices.createdAt, last.createdAt), and(eq(invoices.createdAt, last.createdAt), lt(invoices.id, last.id)));
  }
  const rows = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), cursor))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(page.limit + 1);
  return { data: rows.slice(0, page.limit).map(view), has_more: rows.length > page.limit };
}
