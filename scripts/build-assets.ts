/**
 * Builds the dashboard's client assets (TypeScript → one ES module, CSS → one stylesheet) into
 * dist/public, the directory wrangler.toml serves as static assets. File names carry a content
 * hash, so they are cached for a year; assets-manifest.json maps each logical name to its file.
 * Run by `[build] command` (wrangler dev/deploy), `npm test` (through vitest.config.ts) and
 * `npm run test:browser`.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { buildDocs, docsHeaderRules } from "./build-docs.js";

const ROOT = path.join(import.meta.dirname, "..");
export const PUBLIC_DIR = path.join(ROOT, "dist/public");
const ASSETS_DIR = path.join(PUBLIC_DIR, "assets");

/** Logical asset name → the client source it is built from. */
const ENTRIES = {
  "app.js": "src/web/client/app.ts",
  "app.css": "src/web/styles/app.css",
} as const;

// Hashed names never change content, so browsers keep them for a year without asking again;
// nosniff because the Worker's own security headers do not reach files the asset server answers.
const HEADERS = `/assets/*
  Cache-Control: public, max-age=31536000, immutable
  X-Content-Type-Options: nosniff
${docsHeaderRules()}`;

/**
 * Every file is written beside its final name and renamed into place, and stale files are removed
 * last, so a Worker serving this directory meanwhile (another test run, `wrangler dev`) never sees
 * a missing or half-written file.
 */
function writeAtomically(file: string, contents: string | Uint8Array) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

export async function buildAssets(): Promise<Record<string, string>> {
  mkdirSync(ASSETS_DIR, { recursive: true });
  const result = await build({
    write: false,
    absWorkingDir: ROOT,
    entryPoints: Object.entries(ENTRIES).map(([name, source]) => ({ in: source, out: name.replace(/\.\w+$/, "") })),
    entryNames: "[name]-[hash]",
    outdir: ASSETS_DIR,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022", "chrome110", "safari16", "firefox115"],
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const manifest: Record<string, string> = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    const entry = Object.entries(ENTRIES).find(([, source]) => source === meta.entryPoint);
    if (entry) manifest[entry[0]] = "/" + path.relative(PUBLIC_DIR, path.join(ROOT, output)).split(path.sep).join("/");
  }
  for (const name of Object.keys(ENTRIES)) {
    if (!manifest[name]) throw new Error(`build-assets: ${name} was not built`);
  }
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(path.join(PUBLIC_DIR, "assets-manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  // The docs site (reference renderer, guides) lives under dist/public/docs; see scripts/build-docs.ts.
  await buildDocs(PUBLIC_DIR);
  writeAtomically(path.join(PUBLIC_DIR, "_headers"), HEADERS);
  const current = new Set(result.outputFiles.map((f) => path.basename(f.path)));
  for (const name of readdirSync(ASSETS_DIR)) if (!current.has(name)) rmSync(path.join(ASSETS_DIR, name), { force: true });
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = await buildAssets();
  console.log(`build-assets: ${Object.values(manifest).join(", ")}`);
}
