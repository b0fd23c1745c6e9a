import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { bytesReader, openZip, readEntry } from "../../src/core/tabular";
import { populatedAccount } from "../fixtures/account-data";
import { call, env, expectProblem } from "../helpers";

/** Every entry of an archive as text (names included), to search for what must not be there. */
async function archiveText(res: Response): Promise<string> {
  const zip = await openZip(bytesReader(new Uint8Array(await res.arrayBuffer())));
  let text = "";
  for (const entry of zip.entries.values()) {
    text += `\n== ${entry.name}\n`;
    for await (const piece of readEntry(zip, entry)) text += new TextDecoder().decode(piece, { stream: true });
  }
  return text;
}

describe("account export and deletion across accounts", () => {
  it("exports nothing of another account, and no credential or secret of its own", async () => {
    const mine = await populatedAccount("Minha loja");
    const theirs = await populatedAccount("Outra loja");
    const text = await archiveText(await call("/api/v1/account/export", { key: mine.key }));
    expect(text).toContain(mine.accountId);

    for (const foreign of [theirs.accountId, theirs.email, theirs.fileId, theirs.fileJobId, theirs.webhookId, theirs.deliveryId, theirs.mappingId]) {
      expect(text).not.toContain(foreign);
    }
    for (const secret of [mine.key, mine.secondKey.key, mine.webhookSecret, await sha256Hex(mine.key), await sha256Hex(mine.secondKey.key)]) {
      expect(text).not.toContain(secret);
    }
    const sealed = await env.DB.prepare("select secret_sealed from webhook_endpoints where id = ?").bind(mine.webhookId).first<{ secret_sealed: string }>();
    expect(text).not.toContain(sealed!.secret_sealed);
    expect(text).not.toContain("whsec_");
  });

  it("deletes only the caller's own account: another account's email is not a confirmation", async () => {
    const mine = await populatedAccount("Minha loja");
    const theirs = await populatedAccount("Outra loja");
    await expectProblem(await call("/api/v1/account", { method: "DELETE", key: mine.key, json: { confirm: theirs.email } }), 400);
    expect((await call("/api/v1/account", { key: theirs.key })).status).toBe(200);
    expect((await call("/api/v1/account", { key: mine.key })).status).toBe(200);
  });
});
