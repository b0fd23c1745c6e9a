import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { OPENAPI_DOCUMENT, ROOT } from "../../scripts/generate/document";

/**
 * Redocly CLI lints the committed OpenAPI document with redocly.yaml (accepted occurrences in
 * .redocly.lint-ignore.yaml): unique operationIds, every operation tagged and described, no
 * ambiguous paths, examples valid against their schemas.
 */

const CLI = path.join(ROOT, "node_modules/@redocly/cli/bin/cli.js");

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

async function lint(file: string): Promise<LintReport> {
  const run = promisify(execFile);
  const args = [CLI, "lint", file, "--config", path.join(ROOT, "redocly.yaml"), "--format=json"];
  // The CLI exits 1 when it finds errors; its report is on stdout either way.
  const { stdout } = await run(process.execPath, args, {
    cwd: ROOT,
    // No network here or in CI: no telemetry, no update check.
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return JSON.parse(stdout) as LintReport;
}

const summary = (report: LintReport) => report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);

const scratch = mkdtemp(path.join(tmpdir(), "vitrine-lint-"));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

describe("the OpenAPI document", () => {
  it("lints clean with Redocly", { timeout: 60_000 }, async () => {
    const report = await lint(OPENAPI_DOCUMENT);
    expect(summary(report)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("would not: the rules catch a missing description, a repeated operationId and an example off its schema", { timeout: 60_000 }, async () => {
    const doc = JSON.parse(await readFile(path.join(ROOT, OPENAPI_DOCUMENT), "utf8"));
    const health = doc.paths["/api/v1/health"].get;
    delete health.description;
    doc.paths["/api/v1/account"].get.operationId = "getHealth";
    health.responses["200"].content["application/json"].examples = { broken: { summary: "Not the schema", value: { status: "down" } } };
    // Outside the repository, so the ignore file does not apply to it.
    const file = path.join(await scratch, "openapi.json");
    await writeFile(file, JSON.stringify(doc));
    const rules = new Set((await lint(file)).problems.map((p) => p.ruleId));
    for (const rule of ["operation-description", "operation-operationId-unique", "no-invalid-media-type-examples"]) expect(rules).toContain(rule);
  });
});
