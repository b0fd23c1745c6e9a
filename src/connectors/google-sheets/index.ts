import type { ProviderAccess } from "../types";
import { googleOAuth, serviceAccountTokens } from "./oauth";

/**
 * Google Sheets: a seller's catalog kept in a spreadsheet, read in row ranges, validated like a
 * file, and corrected cell by cell. Authorized by OAuth (the seller's own Google account) or by
 * sharing the sheet with Vitrine's service account (then verified with a code in the sheet).
 * The sync and push steps are in src/services/connectors/google-sheets.ts. See docs/google-sheets.md.
 */
export const googleSheets: ProviderAccess = {
  type: "google_sheets",
  auth: "oauth2",
  name: "Google Sheets",
  // A spreadsheet may feed any marketplace: the common rules unless the connector names a pack (rule_pack).
  pack: "common",
  configured: (config) => config.google !== undefined,
  apiUrl(config) {
    if (!config.google) throw new Error("Google Sheets is not configured (GOOGLE_CLIENT_ID or GOOGLE_SERVICE_ACCOUNT_JSON)");
    return config.google.sheetsUrl;
  },
  // OAuth and service-account tokens alike go as a bearer token.
  async authenticate(_url, headers, grant) {
    headers.authorization = `Bearer ${grant.accessToken}`;
  },
  oauth(config) {
    if (!config.google) throw new Error("Google Sheets is not configured (GOOGLE_CLIENT_ID or GOOGLE_SERVICE_ACCOUNT_JSON)");
    return googleOAuth(config.google);
  },
  serviceAccount(config) {
    if (!config.google) throw new Error("Google Sheets is not configured (GOOGLE_SERVICE_ACCOUNT_JSON)");
    return serviceAccountTokens(config.google);
  },
  ratePolicy(config) {
    // Sheets allows 60 reads and 60 writes a minute per user: one bucket for both keeps under either.
    const perMinute = config.google?.requestsPerMinute ?? 60;
    return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 6)) };
  },
};
