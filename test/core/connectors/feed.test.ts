import { describe, expect, it } from "vitest";
import { deltaOf, fileRecordKey, issueKeyEntry, itemRecordKey, recordKeyEntry } from "../../../src/core/connectors/delta";
import { checkFeedHeader, checkFeedUrl } from "../../../src/core/connectors/feed";

describe("the feed URL policy", () => {
  const reason = (url: string, development = false) => {
    const check = checkFeedUrl(url, development);
    return check.ok ? "ok" : check.reason;
  };

  it("takes public https URLs only, outside development", () => {
    expect(reason("https://loja.example.com.br/feed.csv")).toBe("ok");
    expect(reason("http://loja.example.com.br/feed.csv")).toBe("scheme");
    expect(reason("ftp://loja.example.com.br/feed.csv")).toBe("scheme");
    expect(reason("https://localhost:8080/feed.csv")).toBe("loopback");
  });

  it("refuses private, link-local, mapped and internal targets, in development too", () => {
    for (const dev of [false, true]) {
      expect(reason("https://10.1.2.3/f.csv", dev)).toBe("private_address");
      expect(reason("http://169.254.169.254/latest/meta-data", dev)).toBe(dev ? "private_address" : "scheme");
      expect(reason("https://[::ffff:192.168.0.1]/f.csv", dev)).toBe("private_address");
      expect(reason("https://feeds.internal/f.csv", dev)).toBe("reserved_name");
      expect(reason("https://user:pw@loja.example.com.br/f.csv", dev)).toBe("credentials");
    }
  });

  it("allows plain http and loopback in local development", () => {
    expect(reason("http://localhost:8787/feed.csv", true)).toBe("ok");
    expect(reason("http://loja.example.com.br/feed.csv", true)).toBe("ok");
    expect(checkFeedUrl("http://127.0.0.1:9000/f.csv", true)).toMatchObject({ ok: true, url: new URL("http://127.0.0.1:9000/f.csv") });
  });

  it("checks the seller's header", () => {
    expect(checkFeedHeader("Authorization", "Basic dXNlcjpwdw==")).toBeNull();
    expect(checkFeedHeader("Host", "evil.example")).not.toBeNull();
    expect(checkFeedHeader("If-None-Match", "*")).not.toBeNull();
    expect(checkFeedHeader("X Token", "a")).not.toBeNull();
    expect(checkFeedHeader("X-Token", "a\r\nX-Other: b")).not.toBeNull();
    expect(checkFeedHeader("X-Token", "")).not.toBeNull();
  });
});

describe("sync deltas", () => {
  it("keys records by SKU, else row, and marketplace items by item and variation", () => {
    expect(fileRecordKey("A1", 2)).not.toBe(fileRecordKey(undefined, 2));
    expect(fileRecordKey("", 2)).toBe(fileRecordKey(undefined, 2));
    expect(itemRecordKey("MLB1", "77")).not.toBe(itemRecordKey("MLB1"));
    expect(recordKeyEntry("x").startsWith("r")).toBe(true);
    expect(issueKeyEntry("x", "rule", "title").startsWith("i")).toBe(true);
    expect(issueKeyEntry("x", "rule", "title")).not.toBe(issueKeyEntry("x", "rule", "price"));
  });

  it("derives new, resolved and still open from the two sets' sizes and their overlap", () => {
    expect(deltaOf("job_a", { previous: { records: 5, issues: 4 }, current: { records: 6, issues: 4 }, both: { records: 4, issues: 2 } })).toEqual({
      previous_job_id: "job_a",
      issues: { new: 2, resolved: 2, still_open: 2 },
      records: { added: 2, removed: 1 },
    });
  });
});
