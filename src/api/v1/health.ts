import { z } from "zod";
import { type Api, ApiRoute, mount } from "../route";
import { jsonResponse, problemResponses } from "../schemas";

export class GetHealth extends ApiRoute {
  schema = {
    operationId: "getHealth",
    tags: ["System"],
    summary: "Check that the API is up",
    description: "Public and cheap: answers 200 while the Worker is serving. It does not touch D1, R2 or the queues, so use it for uptime checks, not to test a deployment end to end.",
    security: [],
    responses: {
      "200": jsonResponse("The API is up", z.object({ status: z.literal("ok") })),
      ...problemResponses(),
    },
  };

  async handle() {
    return { status: "ok" as const };
  }
}

export function mountHealth(api: Api) {
  mount(api, "get", "/health", GetHealth, { public: true });
}
