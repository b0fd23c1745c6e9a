import { describe, expect, it } from "vitest";
import {
  cellRange,
  cellText,
  cellWriteValue,
  columnLetters,
  holdsVerificationCode,
  rowsRange,
  sheetsSettings,
  SheetsSettingsError,
  spreadsheetIdFrom,
  verificationCode,
} from "../../../src/core/connectors/google-sheets/sheet";

describe("Google Sheets without the network", () => {
  it("takes the spreadsheet id from its URL or as it is", () => {
    expect(spreadsheetIdFrom("https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit#gid=0")).toBe("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms");
    expect(spreadsheetIdFrom(" 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms ")).toBe("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms");
    expect(spreadsheetIdFrom("https://example.com/x")).toBeNull();
    expect(spreadsheetIdFrom("short")).toBeNull();
  });

  it("names columns and ranges in A1 notation, quoting sheet names", () => {
    expect([1, 2, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual(["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
    expect(rowsRange("Produtos", 2, 1001, 6)).toBe("'Produtos'!A2:F1001");
    expect(rowsRange("It's mine", 5, 5, 28)).toBe("'It''s mine'!A5:AB5");
    expect(cellRange("Produtos", 11, 1)).toBe("'Produtos'!B11");
  });

  it("reads unformatted values as the pipeline's text and writes numbers back as numbers", () => {
    expect([cellText(19.9), cellText(7), cellText(true), cellText(false), cellText(null), cellText(undefined), cellText("x")]).toEqual(["19.9", "7", "TRUE", "FALSE", "", "", "x"]);
    expect(cellWriteValue("19.9", 19.95)).toBe(19.9);
    expect(cellWriteValue("19.90", "19,90")).toBe("19.90");
    expect(cellWriteValue("Camiseta", 3)).toBe("Camiseta");
  });

  it("reads a connector's settings, with defaults, and names the bad option", () => {
    expect(sheetsSettings({ spreadsheet: "https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjg/edit" })).toEqual({
      spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjg",
      sheet: null,
      headerRow: 1,
      auth: "oauth",
      issuesSheet: false,
    });
    expect(sheetsSettings({ spreadsheet: "1BxiMVs0XRA5nFMdKvBdBZjg", sheet: " Produtos ", header_row: 3, auth: "service_account", issues_sheet: true })).toMatchObject({
      sheet: "Produtos",
      headerRow: 3,
      auth: "service_account",
      issuesSheet: true,
    });
    const pointer = (config: Record<string, unknown>) => {
      try {
        sheetsSettings(config);
        return null;
      } catch (error) {
        return (error as SheetsSettingsError).pointer;
      }
    };
    expect(pointer({})).toBe("/config/spreadsheet");
    expect(pointer({ spreadsheet: "1BxiMVs0XRA5nFMdKvBdBZjg", header_row: 0 })).toBe("/config/header_row");
    expect(pointer({ spreadsheet: "1BxiMVs0XRA5nFMdKvBdBZjg", auth: "password" })).toBe("/config/auth");
    expect(pointer({ spreadsheet: "1BxiMVs0XRA5nFMdKvBdBZjg", tab: "x" })).toBe("/config/tab");
  });

  it("finds the connector's own verification code, and no other", () => {
    const code = verificationCode("con_01abc");
    expect(holdsVerificationCode([["Vitrine"], ["", ` ${code} `]], code)).toBe(true);
    expect(holdsVerificationCode([[verificationCode("con_01abd")]], code)).toBe(false);
    expect(holdsVerificationCode(undefined, code)).toBe(false);
  });
});
