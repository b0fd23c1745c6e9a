import { type Text, text } from "../../core/text";

/** The rule id of a record whose item the provider would not return (it counts as failed in connector.synced). */
export const ITEM_UNAVAILABLE_RULE = "connector.item_unavailable";

/** The seller revoked access, or the grant expired: the connector needs a new authorization. */
export class ReauthorizationRequiredError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`reauthorization required: ${error} ${description}`.trim());
  }
}

/** The provider kept answering 429 (or the gate kept us waiting) longer than one step may wait. */
export class ProviderBusyError extends Error {}

/** A step would go over its share of the invocation's subrequests; it is retried later, from the start. */
export class BudgetExhaustedError extends Error {}

/** Job error codes (and their messages) for what can stop a sync. */
export const SYNC_FAILURES = {
  reauthorization: (e: ReauthorizationRequiredError): { code: string; text: Text } => ({
    code: "connector.reauthorization_required",
    text: text(
      `The marketplace no longer accepts this connector's authorization (${e.error}${e.description ? `: ${e.description}` : ""}). Authorize it again: POST /api/v1/connectors/{id}/authorize.`,
      `O marketplace não aceita mais a autorização deste conector (${e.error}${e.description ? `: ${e.description}` : ""}). Autorize de novo: POST /api/v1/connectors/{id}/authorize.`,
    ),
  }),
  unavailable: (detail: string): { code: string; text: Text } => ({
    code: "connector.provider_unavailable",
    text: text(
      `The marketplace could not be reached or kept failing (${detail}). Nothing from this sync was published as a result; try again later.`,
      `Não foi possível falar com o marketplace, ou ele continuou falhando (${detail}). Nada desta sincronização foi publicado como resultado; tente de novo mais tarde.`,
    ),
  }),
  deleted: (): { code: string; text: Text } => ({
    code: "connector.deleted",
    text: text("The connector was deleted while it was syncing.", "O conector foi apagado durante a sincronização."),
  }),
  notActive: (status: string): { code: string; text: Text } => ({
    code: "connector.not_active",
    text: text(`The connector is ${status}, so it cannot sync.`, `O conector está ${status}, então não pode sincronizar.`),
  }),
};
