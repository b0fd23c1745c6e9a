/**
 * Builds the docs site's static assets into dist/public/docs (called by scripts/build-assets.ts):
 * - the API reference renderer, Scalar's standalone bundle copied from node_modules, and the small
 *   script that starts it (src/ui/docs-client/reference.ts), under content-hashed names;
 * - the docs stylesheet (src/ui/docs-site.css), hashed too;
 * - the guides, docs/guides/*.md rendered to HTML pages (scripts/render-guides.ts);
 * - docs/manifest.json, through which the Worker links the current hashed files on /docs and /docs/errors.
 * Nothing is fetched from a CDN: the site works offline.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { transform } from "esbuild";
import { DOCS_CSP, DOCS_SECURITY_HEADERS } from "../src/ui/docs-shell.js";
import { renderGuides } from "./render-guides.js";

const ROOT = path.join(import.meta.dirname, "..");
export const GUIDES_DIR = path.join(ROOT, "docs/guides");

/** Logical docs asset name → its current hashed URL; the Worker reads this from docs/manifest.json. */
export interface DocsManifest {
  "scalar.js": string;
  "reference.js": string;
  "docs.css": string;
  /** Every guide page's URL, indexes included (for tests and tools; the pages link each other). */
  guides: string[];
}

/** Scalar's self-contained browser build (the package does not export it, so it is found beside its entry point). */
export const SCALAR_BUNDLE = path.join(path.dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "browser/standalone.js");

function writeAtomically(file: string, contents: string | Uint8Array) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

function hashedName(name: string, contents: string | Uint8Array): string {
  const hash = createHash("sha256").update(contents).digest("hex").slice(0, 10);
  return name.replace(/(\.\w+)$/, `-${hash}$1`);
}

/** Removes files in `dir` that the build did not just write (older hashes, deleted guides). */
function removeStale(dir: string, current: Set<string>) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    // Another build running at the same time (a test run beside `wrangler dev`) has its files half-written as .tmp.
    if (entry.isFile() && !current.has(file) && !entry.name.endsWith(".tmp")) rmSync(file, { force: true });
  }
}

/**
 * The _headers rules for the docs site (the asset server answers these paths without the Worker):
 * hashed files are immutable; guide pages get the docs CSP and the security headers the Worker's
 * own docs pages send.
 */
export function docsHeaderRules(): string {
  const page = [`  Content-Security-Policy: ${DOCS_CSP}`, ...Object.entries(DOCS_SECURITY_HEADERS).map(([k, v]) => `  ${k}: ${v}`)].join("\n");
  return [
    "/docs/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Content-Type-Options: nosniff",
    ...["/docs/guides", "/docs/guides/*", "/docs/pt-BR/*"].map((pattern) => `${pattern}\n${page}`),
  ].join("\n") + "\n";
}

export async function buildDocs(publicDir: string, guidesDir = GUIDES_DIR): Promise<DocsManifest> {
  const docsDir = path.join(publicDir, "docs");
  const assetsDir = path.join(docsDir, "assets");
  const reference = await transform(readFileSync(path.join(ROOT, "src/ui/docs-client/reference.ts"), "utf8"), {
    loader: "ts",
    minify: true,
    target: ["es2022"],
    legalComments: "none",
  });
  const css = await transform(readFileSync(path.join(ROOT, "src/ui/docs-site.css"), "utf8"), { loader: "css", minify: true });
  const sources: Record<Exclude<keyof DocsManifest, "guides">, string | Uint8Array> = {
    "scalar.js": readFileSync(SCALAR_BUNDLE),
    "reference.js": reference.code,
    "docs.css": css.code,
  };
  const manifest = { guides: [] as string[] } as DocsManifest;
  const written = new Set<string>();
  for (const [name, contents] of Object.entries(sources) as [Exclude<keyof DocsManifest, "guides">, string | Uint8Array][]) {
    const file = path.join(assetsDir, hashedName(name, contents));
    writeAtomically(file, contents);
    written.add(file);
    manifest[name] = "/" + path.relative(publicDir, file).split(path.sep).join("/");
  }
  for (const page of renderGuides(guidesDir, manifest["docs.css"])) {
    const file = path.join(publicDir, page.file);
    writeAtomically(file, page.html);
    written.add(file);
    manifest.guides.push(page.url);
  }
  writeAtomically(path.join(docsDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  written.add(path.join(docsDir, "manifest.json"));
  for (const dir of [assetsDir, path.join(docsDir, "guides"), path.join(docsDir, "pt-BR/guides"), docsDir, path.join(docsDir, "pt-BR")]) {
    mkdirSync(dir, { recursive: true });
    removeStale(dir, written);
  }
  return manifest;
}
