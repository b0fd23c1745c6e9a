import type { I18n } from "../i18n";
import type { MessageKey } from "../messages";

/**
 * Notices a page shows after an action redirected to it (`?notice=name`). Only these names are
 * read, so a link cannot make the dashboard say anything else.
 */
const NOTICES = {
  signedOut: "notice.signedOut",
  passwordSet: "notice.passwordSet",
  tookOver: "notice.tookOver",
  profileSaved: "notice.profileSaved",
  passwordChanged: "notice.passwordChanged",
  sessionRevoked: "notice.sessionRevoked",
  marketplaceSaved: "notice.marketplaceSaved",
  apiKeyRevoked: "notice.apiKeyRevoked",
  webhookEnabled: "notice.webhookEnabled",
  webhookDisabled: "notice.webhookDisabled",
  webhookDeleted: "notice.webhookDeleted",
  deliveryRetried: "notice.deliveryRetried",
  signInFirst: "notice.signInFirst",
  mappingSaved: "notice.mappingSaved",
  mappingDeleted: "notice.mappingDeleted",
  packSaved: "notice.packSaved",
  packDeleted: "notice.packDeleted",
  // Catalog upload
  fileUploaded: "notice.fileUploaded",
  sampleAdded: "notice.sampleAdded",
  jobCancelled: "notice.jobCancelled",
  // Store connections
  connectorSaved: "notice.connectorSaved",
  connectorDeleted: "notice.connectorDeleted",
} as const satisfies Record<string, MessageKey>;

export type NoticeName = keyof typeof NOTICES;

/** The notice named in the query, with its numbers (digits only), rendered; or undefined. */
export function noticeFrom(i: I18n, query: Record<string, string | undefined>): string | undefined {
  const name = query.notice;
  if (!name || !Object.hasOwn(NOTICES, name)) return undefined;
  const numbers = Object.fromEntries(
    Object.entries(query)
      .filter(([k, v]) => k !== "notice" && v !== undefined && /^\d{1,6}$/.test(v))
      .map(([k, v]) => [k, Number(v)]),
  );
  return i.t(NOTICES[name as NoticeName], numbers);
}

export function Notice(props: { message?: string }) {
  if (!props.message) return null;
  return (
    <div class="notice" role="status">
      {props.message}
    </div>
  );
}
