import type { Env } from "../env";
import { getFile } from "./files";

/** The R2 key of an account's uploaded file, or null when the account has no such file. */
export async function fileInputKey(env: Env, accountId: string, fileId: string): Promise<string | null> {
  return (await getFile(env, accountId, fileId))?.r2Key ?? null;
}
