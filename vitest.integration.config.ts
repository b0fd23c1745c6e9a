import { defineConfig } from "vitest/config";

/**
 * `npm run test:integration`: clients of the API (SDKs, the Postman collection, the guides' commands)
 * run against the app started as `npm start` starts it (test/running-app.ts), over real HTTP.
 */
export default defineConfig({
  test: {
    name: "integration",
    include: ["test/integration/**/*.test.ts"],
    environment: "node",
    // Each file starts its own `wrangler dev`; two cores are shared, so one file at a time.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
