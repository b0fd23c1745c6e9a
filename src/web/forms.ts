import { VitrineError } from "../core/errors";
import type { WebContext } from "./context";
import { type FieldErrors, fieldErrors } from "./components/form";

/** The submitted form's text fields (files are left to pages that take uploads). */
export async function formValues(c: WebContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") out[name] = value;
  return out;
}

/**
 * What a failed form submission shows: per-field problems and/or one message. Errors that are not
 * about the input (bugs, rate limits) are thrown on to the error page.
 */
export function formFailure(c: WebContext, error: unknown): { errors: FieldErrors; message?: string; status: 401 | 409 | 422 } {
  if (!(error instanceof VitrineError) || !["invalid_request", "conflict", "unauthorized"].includes(error.code)) throw error;
  const i = c.get("i18n");
  const errors = fieldErrors(i, error.extra.errors);
  const message = Object.keys(errors).length > 0 ? undefined : i.text(error.detail);
  return { errors, message, status: error.code === "unauthorized" ? 401 : error.code === "conflict" ? 409 : 422 };
}
