import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { jsonResponse, problemResponses } from "../schemas";

export class GetHealth extends OpenAPIRoute {
  schema = {
    operationId: "getHealth",
    tags: ["System"],
    summary: "Check that the API is up",
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
