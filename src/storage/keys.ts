/**
 * R2 key builders. Every object of an account lives under a prefix that names the
 * account, so a listing or a cleanup never crosses tenants.
 */
export const objectKeys = {
  /** The bytes of an uploaded file, whether sent in one request or assembled from parts. */
  upload: (accountId: string, fileId: string) => `uploads/${accountId}/${fileId}`,
};
