/** R2 lists, and deletes in one call, at most 1,000 keys. */
const PAGE = 1000;

/**
 * Deletes every object under `prefix`, a page of keys at a time, and returns how many there
 * were. Safe to repeat: a second run finds nothing. `maxObjects` bounds one call's work; the
 * result says whether objects may remain.
 */
export async function deletePrefix(bucket: R2Bucket, prefix: string, maxObjects = Infinity): Promise<{ deleted: number; done: boolean }> {
  let deleted = 0;
  while (deleted < maxObjects) {
    const page = await bucket.list({ prefix, limit: Math.min(PAGE, maxObjects - deleted) });
    if (page.objects.length === 0) return { deleted, done: true };
    await bucket.delete(page.objects.map((o) => o.key));
    deleted += page.objects.length;
  }
  const rest = await bucket.list({ prefix, limit: 1 });
  return { deleted, done: rest.objects.length === 0 };
}
