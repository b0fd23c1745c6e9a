import type { Env } from "../env";

/** Logical asset name → its current hashed URL, as scripts/build-assets.ts wrote them. */
export interface AssetUrls {
  "app.js": string;
  "app.css": string;
}

let manifest: Promise<AssetUrls> | undefined;

/** Read once per isolate through the ASSETS binding: a deploy ships new names with a new isolate. */
export function assetUrls(env: Env): Promise<AssetUrls> {
  manifest ??= (async () => {
    const res = await env.ASSETS.fetch("https://assets.invalid/assets-manifest.json");
    if (!res.ok) {
      throw new Error("dist/public/assets-manifest.json is missing: build the dashboard's assets with `npx tsx scripts/build-assets.ts`");
    }
    return (await res.json()) as AssetUrls;
  })().catch((error) => {
    manifest = undefined;
    throw error;
  });
  return manifest;
}
