import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.join(import.meta.dirname, "../..");

/** One `wrangler deploy --dry-run` of the repository as it stands: what would be uploaded, and how. */
export interface DryRun {
  /** Wrangler's printed output (bindings, variables, its own size line). */
  printed: string;
  /** The bundled modules as uploaded: index.js, the rule packs (Text) and the sample catalog (Data). */
  outdir: string;
  /** The multipart upload itself, as `wrangler check startup --worker` takes it. */
  upload: string;
  /** esbuild's metafile: every input bundled and every import left to the runtime. */
  metafile: Metafile;
  /** The variables it would ship, as the dry run lists them: env.NAME ("value"). */
  vars: Record<string, string>;
  cleanup(): void;
}

export interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

export function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
}

export function dryRun(): DryRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vitrine-dry-run-"));
  const outdir = path.join(dir, "out");
  const upload = path.join(dir, "worker.bundle");
  const meta = path.join(dir, "meta.json");
  try {
    const printed = execFileSync(
      "npx",
      ["wrangler", "deploy", "--dry-run", "--outdir", outdir, "--outfile", upload, "--metafile", meta],
      { cwd: ROOT, encoding: "utf8", env: wranglerEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    const vars = Object.fromEntries([...printed.matchAll(/env\.([A-Z0-9_]+) \("([^"]*)"\)\s+Environment Variable/g)].map((m) => [m[1], m[2]]));
    const metafile = JSON.parse(readFileSync(meta, "utf8")) as Metafile;
    return { printed, outdir, upload, metafile, vars, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
