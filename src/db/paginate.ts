import { type AnyColumn, lt, type SQL } from "drizzle-orm";

export interface PageQuery {
  limit: number;
  /** The id of the last object of the previous page. */
  startingAfter?: string;
}

/** What every list operation answers. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/**
 * Newest-first cursor pagination over ids that sort by creation time (`newId`). `select` gets the
 * cursor condition (undefined on the first page) and how many rows to take — one more than the
 * page, to know whether another page follows — and must order by `idColumn` descending.
 */
export async function paginate<Row, Out>(
  idColumn: AnyColumn,
  page: PageQuery,
  select: (cursor: SQL | undefined, take: number) => Promise<Row[]>,
  view: (row: Row) => Out,
): Promise<Page<Out>> {
  const rows = await select(page.startingAfter ? lt(idColumn, page.startingAfter) : undefined, page.limit + 1);
  return { data: rows.slice(0, page.limit).map(view), has_more: rows.length > page.limit };
}
