import sampleCatalog from "../../samples/catalogo-exemplo.csv";
import { sha256Hex } from "../core/hash";
import type { Env } from "../env";
import { createFile, type FileView } from "./files";

/** The file name the sample is stored under in the account. */
export const SAMPLE_FILE_NAME = "catalogo-exemplo.csv";

/**
 * Stores the sample catalog shipped with Vitrine (samples/catalogo-exemplo.csv: 40 phones, shoes
 * and small appliances, Windows-1252, `;`, decimal commas, with the defects real catalogs have) as
 * a file of the account, exactly as an upload would: a job can run on it at once, and its columns
 * map without a saved mapping.
 */
export async function createSampleFile(env: Env, accountId: string): Promise<FileView> {
  const bytes = new Uint8Array(sampleCatalog);
  return createFile(env, accountId, { name: SAMPLE_FILE_NAME, size: bytes.byteLength, body: new Blob([bytes]).stream() });
}

let sampleDigest: Promise<string> | undefined;

/**
 * Whether a file holds exactly the sample catalog (by its SHA-256), however it was added: jobs on it
 * are there to try Vitrine and never count as validations.
 */
export async function isSampleCatalog(sha256: string): Promise<boolean> {
  sampleDigest ??= sha256Hex(new Uint8Array(sampleCatalog));
  return sha256 === (await sampleDigest);
}
