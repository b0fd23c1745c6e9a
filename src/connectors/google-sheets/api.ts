import { ProviderUnavailableError, type ProviderFetch } from "../types";

/**
 * The Sheets API v4 calls a connector makes, through the connector's gate (ProviderFetch).
 * Errors come as { error: { code, message, status } }.
 * https://developers.google.com/sheets/api/reference/rest
 */

/** Rows one values request reads: well under the 2 MB payload Google recommends for wide catalog rows. */
export const ROWS_PER_REQUEST = 1000;

/** Sheets refused the request for a reason no retry fixes (no such sheet or range, no access). */
export class SheetsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`Sheets answered ${status}: ${reason}`);
  }
}

async function answer<T>(res: Response, what: string): Promise<T> {
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new ProviderUnavailableError(`${what} answered ${res.status}`);
  }
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string; status?: string } }) | null;
  if (!res.ok) throw new SheetsRequestError(res.status, body?.error?.message ?? body?.error?.status ?? `http_${res.status}`);
  if (body === null) throw new ProviderUnavailableError(`${what} answered a body that is not JSON`);
  return body;
}

const sheetPath = (spreadsheetId: string) => `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}`;

export interface SheetProperties {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

/**
 * The spreadsheet's sheets (tabs) with their grid sizes, nothing else (`fields` keeps the answer small):
 * `GET /v4/spreadsheets/{id}?fields=sheets.properties(…)` → { sheets: [{ properties: { sheetId, title, gridProperties: { rowCount, columnCount } } }] }.
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
 */
export async function sheetProperties(fetch: ProviderFetch, spreadsheetId: string): Promise<SheetProperties[]> {
  const body = await answer<{ sheets?: { properties?: { sheetId?: number; title?: string; gridProperties?: { rowCount?: number; columnCount?: number } } }[] }>(
    await fetch(sheetPath(spreadsheetId), { query: { fields: "sheets.properties(sheetId,title,gridProperties(rowCount,columnCount))" } }),
    "spreadsheet metadata",
  );
  return (body.sheets ?? []).flatMap((s) =>
    s.properties && typeof s.properties.title === "string"
      ? [
          {
            sheetId: s.properties.sheetId ?? 0,
            title: s.properties.title,
            rowCount: s.properties.gridProperties?.rowCount ?? 0,
            columnCount: s.properties.gridProperties?.columnCount ?? 0,
          },
        ]
      : [],
  );
}

/**
 * One range's values, unformatted (numbers as numbers, not as the sheet displays them):
 * `GET /v4/spreadsheets/{id}/values/{range}?valueRenderOption=UNFORMATTED_VALUE&majorDimension=ROWS`
 * → { range, majorDimension, values?: [[…]] }; trailing empty rows and cells are left out.
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get
 */
export async function readValues(fetch: ProviderFetch, spreadsheetId: string, range: string): Promise<unknown[][]> {
  const body = await answer<{ values?: unknown[][] }>(
    await fetch(`${sheetPath(spreadsheetId)}/values/${encodeURIComponent(range)}`, {
      query: { valueRenderOption: "UNFORMATTED_VALUE", majorDimension: "ROWS", dateTimeRenderOption: "FORMATTED_STRING" },
    }),
    "values",
  );
  return Array.isArray(body.values) ? body.values : [];
}

/**
 * Several ranges in one read request, in the order asked (the ranges travel in the body, so many rows fit):
 * `POST /v4/spreadsheets/{id}/values:batchGetByDataFilter` { dataFilters: [{ a1Range }], valueRenderOption, majorDimension }
 * → { valueRanges: [{ valueRange: { range, values? }, dataFilters }] }.
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGetByDataFilter
 */
export async function readRanges(fetch: ProviderFetch, spreadsheetId: string, ranges: string[]): Promise<unknown[][][]> {
  const body = await answer<{ valueRanges?: { valueRange?: { values?: unknown[][] } }[] }>(
    await fetch(`${sheetPath(spreadsheetId)}/values:batchGetByDataFilter`, {
      method: "POST",
      json: { dataFilters: ranges.map((a1Range) => ({ a1Range })), valueRenderOption: "UNFORMATTED_VALUE", majorDimension: "ROWS" },
    }),
    "values batch read",
  );
  const found = body.valueRanges ?? [];
  return ranges.map((_, i) => found[i]?.valueRange?.values ?? []);
}

/**
 * Writes exactly these cells, values taken as they are (RAW: no formula, no date parsing):
 * `POST /v4/spreadsheets/{id}/values:batchUpdate` { valueInputOption: "RAW", data: [{ range, majorDimension, values }] }
 * → { totalUpdatedCells, responses }.
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate
 */
export async function writeCells(fetch: ProviderFetch, spreadsheetId: string, data: { range: string; values: unknown[][] }[]): Promise<number> {
  const body = await answer<{ totalUpdatedCells?: number }>(
    await fetch(`${sheetPath(spreadsheetId)}/values:batchUpdate`, {
      method: "POST",
      json: { valueInputOption: "RAW", data: data.map((d) => ({ range: d.range, majorDimension: "ROWS", values: d.values })) },
    }),
    "values batch update",
  );
  return body.totalUpdatedCells ?? 0;
}

/**
 * Replaces a sheet with an empty one of the given size (deleted first when it exists), in one request:
 * `POST /v4/spreadsheets/{id}:batchUpdate` { requests: [{ deleteSheet: { sheetId } }, { addSheet: { properties: { title, gridProperties } } }] }.
 * https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
 */
export async function replaceSheet(fetch: ProviderFetch, spreadsheetId: string, existing: number | null, title: string, rows: number, columns: number): Promise<void> {
  const requests: unknown[] = [];
  if (existing !== null) requests.push({ deleteSheet: { sheetId: existing } });
  requests.push({ addSheet: { properties: { title, gridProperties: { rowCount: Math.max(2, rows), columnCount: columns } } } });
  await answer<unknown>(await fetch(`${sheetPath(spreadsheetId)}:batchUpdate`, { method: "POST", json: { requests } }), "spreadsheet batch update");
}
