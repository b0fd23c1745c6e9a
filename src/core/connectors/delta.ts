/**
 * What changed between two full syncs of a connector. Issues are compared by key — the record
 * (its SKU or item id, else its row) + rule + field: one rule such as `required` checks many
 * fields, so without the field a record that fixed its brand but still lacks its GTIN would look
 * unchanged. Records are compared by the same record key.
 */
export interface SyncDelta {
  /** The earlier sync this one was compared with; null for a connector's first full sync. */
  previous_job_id: string | null;
  issues: { new: number; resolved: number; still_open: number };
  records: { added: number; removed: number };
}

/** Separates the parts of a key; never typed in a SKU, a rule id or a field path. */
const SEP = "\u001f";

/** The SKU of a canonical record, as the seller wrote it. */
export function recordSku(record: Record<string, unknown> | undefined): string | undefined {
  const sku = record?.sku;
  return typeof sku === "string" ? sku : typeof sku === "number" ? String(sku) : undefined;
}

/** A record's key in a file or feed: its SKU when it has one, else its row. */
export function fileRecordKey(sku: string | undefined, row: number): string {
  return sku !== undefined && sku !== "" ? `s${SEP}${sku}` : `#${SEP}${row}`;
}

/** A marketplace listing's key: its item id, and the variation's id for a variation. */
export function itemRecordKey(itemId: string, variationId?: string | null): string {
  return variationId ? `m${SEP}${itemId}${SEP}${variationId}` : `m${SEP}${itemId}`;
}

export const recordKeyEntry = (record: string) => `r${record}`;
export const issueKeyEntry = (record: string, rule: string, field: string) => `i${record}${SEP}${rule}${SEP}${field}`;

/** Counts of each sync's distinct keys and of the keys both have. */
export interface KeyCounts {
  previous: { records: number; issues: number };
  current: { records: number; issues: number };
  both: { records: number; issues: number };
}

export function deltaOf(previousJobId: string | null, counts: KeyCounts): SyncDelta {
  return {
    previous_job_id: previousJobId,
    issues: {
      new: counts.current.issues - counts.both.issues,
      resolved: counts.previous.issues - counts.both.issues,
      still_open: counts.both.issues,
    },
    records: { added: counts.current.records - counts.both.records, removed: counts.previous.records - counts.both.records },
  };
}

/** A sync that did not validate again (its feed had not changed): everything the previous one found is still there. */
export function unchangedDelta(previousJobId: string | null, open: number): SyncDelta {
  return { previous_job_id: previousJobId, issues: { new: 0, resolved: 0, still_open: open }, records: { added: 0, removed: 0 } };
}
