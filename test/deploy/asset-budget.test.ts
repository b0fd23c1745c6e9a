import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildAssets, PUBLIC_DIR } from "../../scripts/build-assets";

const KB = 1024;

describe("the dashboard's built assets", () => {
  it("ship under 60 KB of JavaScript, compressed, on any page (every page loads the one bundle)", async () => {
    const manifest = await buildAssets();
    const scripts = readdirSync(path.join(PUBLIC_DIR, "assets")).filter((f) => f.endsWith(".js"));
    expect(scripts.map((f) => `/assets/${f}`)).toEqual([manifest["app.js"]]);
    const compressed = gzipSync(readFileSync(path.join(PUBLIC_DIR, manifest["app.js"]))).length;
    expect(compressed).toBeLessThan(60 * KB);
  });

  it("are cached for a year under content-hashed names, and the manifest names the current ones", async () => {
    const manifest = await buildAssets();
    expect(manifest["app.js"]).toMatch(/^\/assets\/app-[A-Z0-9]{8}\.js$/);
    expect(manifest["app.css"]).toMatch(/^\/assets\/app-[A-Z0-9]{8}\.css$/);
    expect(JSON.parse(readFileSync(path.join(PUBLIC_DIR, "assets-manifest.json"), "utf8"))).toEqual(manifest);
    const headers = readFileSync(path.join(PUBLIC_DIR, "_headers"), "utf8");
    expect(headers).toContain("/assets/*\n  Cache-Control: public, max-age=31536000, immutable");
  });
});

describe("the docs site's built assets", () => {
  // The API reference renderer (Scalar's standalone bundle: Vue, its HTTP client, code samples for
  // every language, search) is loaded by /docs alone, never by the dashboard, and cached for a year
  // under a hashed name. Its budget is its own: 1,536 KB gzipped (1,376 KB measured at Scalar 1.76.0),
  // so an upgrade that balloons it is noticed.
  it("ship the reference renderer under 1.5 MB compressed, and the docs' own script and stylesheet under 8 KB", async () => {
    await buildAssets();
    const docs = JSON.parse(readFileSync(path.join(PUBLIC_DIR, "docs/manifest.json"), "utf8")) as Record<string, string>;
    const compressed = (url: string) => gzipSync(readFileSync(path.join(PUBLIC_DIR, url))).length;
    expect(compressed(docs["scalar.js"])).toBeLessThan(1536 * KB);
    expect(compressed(docs["reference.js"]) + compressed(docs["docs.css"])).toBeLessThan(8 * KB);
    // Workers static assets refuse files over 25 MiB.
    expect(readFileSync(path.join(PUBLIC_DIR, docs["scalar.js"])).length).toBeLessThan(25 * KB * KB);
  });

  it("are never linked from the dashboard's manifest", async () => {
    const manifest = await buildAssets();
    expect(Object.values(manifest).join(" ")).not.toMatch(/scalar|\/docs\//);
  });
});
