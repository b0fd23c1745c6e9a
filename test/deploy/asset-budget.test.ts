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
