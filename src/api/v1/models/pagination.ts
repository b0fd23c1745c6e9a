import { z } from "zod";
import { wholeNumber } from "../../schemas";

// Every list operation pages the same way: newest first, cursor = the last id seen.

export const ListQuery = z.object({
  limit: wholeNumber(1, 100).default(20).describe("Page size, 1–100"),
  starting_after: z.string().max(64).optional().describe("Cursor: the id of the last object of the previous page"),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean() });
}
