import { defineConfig } from "vitest/config";

/**
 * `npm run test:browser`: the dashboard in a real Chromium (Debian's package), driven from Node by
 * playwright-core against the app started as `npm start` starts it. Separate from `npm test`,
 * which stays runnable on a machine without a browser.
 */
export default defineConfig({
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    // Fails at once, saying what to install, when Chromium is missing.
    globalSetup: ["./test/browser/global-setup.ts"],
    // Each file starts its own `wrangler dev` and browser; two cores are shared, so one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
