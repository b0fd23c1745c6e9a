import { type Text, text } from "../../text";

/**
 * Google Sheets without the network: the connector's settings, A1 ranges, cell values as the
 * pipeline reads them and as a push writes them, and the verification code of service-account
 * connectors. https://developers.google.com/sheets/api/guides/concepts (A1 notation)
 */

/** Where a service-account connector's verification code must be: a sheet of this name, in its first rows. */
export const VERIFICATION_SHEET = "Vitrine";
export const VERIFICATION_RANGE = `'${VERIFICATION_SHEET}'!A1:E10`;
/** The sheet a push may replace with the sync's issues (row, SKU, column, message). */
export const ISSUES_SHEET = "Vitrine – problemas";

export type SheetsAuth = "oauth" | "service_account";

export interface SheetsSettings {
  spreadsheetId: string;
  /** The sheet (tab) to read; null: the spreadsheet's first sheet. */
  sheet: string | null;
  /** The header's row number (1-based); records start on the next row. */
  headerRow: number;
  auth: SheetsAuth;
  /** A push also replaces the "Vitrine – problemas" sheet with the sync's issues. */
  issuesSheet: boolean;
}

export class SheetsSettingsError extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: Text,
  ) {
    super(detail.en);
  }
}

/** A spreadsheet id from its URL (…/spreadsheets/d/{id}/edit…) or the id itself. */
export function spreadsheetIdFrom(input: string): string | null {
  const trimmed = input.trim();
  const fromUrl = /\/spreadsheets\/d\/([A-Za-z0-9_-]{10,200})/.exec(trimmed);
  if (fromUrl) return fromUrl[1];
  return /^[A-Za-z0-9_-]{10,200}$/.test(trimmed) ? trimmed : null;
}

const KEYS = ["spreadsheet", "sheet", "header_row", "auth", "issues_sheet"];

/** Reads and checks a Google Sheets connector's config; `spreadsheet` is the sheet's URL or id. */
export function sheetsSettings(config: Record<string, unknown>): SheetsSettings {
  for (const key of Object.keys(config)) {
    if (!KEYS.includes(key)) {
      throw new SheetsSettingsError(
        `/config/${key}`,
        text(`Unknown config option "${key}"; Google Sheets takes ${KEYS.join(", ")}.`, `Opção de config "${key}" desconhecida; o Google Sheets aceita ${KEYS.join(", ")}.`),
      );
    }
  }
  const spreadsheetId = typeof config.spreadsheet === "string" ? spreadsheetIdFrom(config.spreadsheet) : null;
  if (!spreadsheetId) {
    throw new SheetsSettingsError(
      "/config/spreadsheet",
      text("config.spreadsheet must be the spreadsheet's URL (https://docs.google.com/spreadsheets/d/…) or its id.", "config.spreadsheet deve ser a URL da planilha (https://docs.google.com/spreadsheets/d/…) ou o seu id."),
    );
  }
  const sheet = config.sheet === undefined || config.sheet === null ? null : config.sheet;
  if (sheet !== null && (typeof sheet !== "string" || sheet.trim() === "" || sheet.length > 100)) {
    throw new SheetsSettingsError("/config/sheet", text("config.sheet must be the name of a sheet (tab) of the spreadsheet.", "config.sheet deve ser o nome de uma aba da planilha."));
  }
  const headerRow = config.header_row ?? 1;
  if (typeof headerRow !== "number" || !Number.isInteger(headerRow) || headerRow < 1 || headerRow > 1000) {
    throw new SheetsSettingsError("/config/header_row", text("config.header_row must be a row number from 1 to 1000.", "config.header_row deve ser um número de linha de 1 a 1000."));
  }
  const auth = config.auth ?? "oauth";
  if (auth !== "oauth" && auth !== "service_account") {
    throw new SheetsSettingsError("/config/auth", text('config.auth must be "oauth" or "service_account".', 'config.auth deve ser "oauth" ou "service_account".'));
  }
  if (config.issues_sheet !== undefined && typeof config.issues_sheet !== "boolean") {
    throw new SheetsSettingsError("/config/issues_sheet", text("config.issues_sheet must be true or false.", "config.issues_sheet deve ser true ou false."));
  }
  return { spreadsheetId, sheet: sheet === null ? null : sheet.trim(), headerRow, auth, issuesSheet: config.issues_sheet === true };
}

/** Column number (1-based) → letters: 1 → A, 26 → Z, 27 → AA. */
export function columnLetters(column: number): string {
  let n = column;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A sheet's name as A1 notation quotes it ('It''s' for It's). */
export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** Rows `from`..`to` (inclusive) of the first `columns` columns. */
export function rowsRange(sheet: string, from: number, to: number, columns: number): string {
  return `${quoteSheet(sheet)}!A${from}:${columnLetters(Math.max(1, columns))}${to}`;
}

/** One cell. `column` is 0-based (the header's index). */
export function cellRange(sheet: string, row: number, column: number): string {
  return `${quoteSheet(sheet)}!${columnLetters(column + 1)}${row}`;
}

/** A value read with valueRenderOption=UNFORMATTED_VALUE as the pipeline reads cells: numbers unformatted, booleans as TRUE/FALSE. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return String(value);
}

/**
 * What a push writes with valueInputOption=RAW: a number where the cell held a number and the
 * corrected text is a plain number (so a fixed price stays a number, not text), else the text.
 */
export function cellWriteValue(corrected: string, current: unknown): string | number {
  if (typeof current === "number" && /^-?\d+(\.\d+)?$/.test(corrected)) return Number(corrected);
  return corrected;
}

/**
 * A service-account connector's verification code: its id is made by Vitrine and unique, so only
 * the sheet's owner can put the code of this connector in the sheet (one service account serves
 * every tenant, so sharing alone proves nothing about who asks).
 */
export function verificationCode(connectorId: string): string {
  return `vitrine-verify:${connectorId}`;
}

/** Whether any cell of the verification range holds the code (spaces around it ignored). */
export function holdsVerificationCode(values: unknown, code: string): boolean {
  if (!Array.isArray(values)) return false;
  return values.some((row) => Array.isArray(row) && row.some((cell) => typeof cell === "string" && cell.trim() === code));
}
