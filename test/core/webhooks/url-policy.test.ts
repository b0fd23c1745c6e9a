import { describe, expect, it } from "vitest";
import { checkWebhookUrl, type UrlRefusal } from "../../../src/core/webhooks/url-policy";

const strict = { allowLoopback: false };
const dev = { allowLoopback: true };

describe("webhook URL policy", () => {
  it.each([
    "https://hooks.example.com/vitrine",
    "https://example.com:8443/a?b=c",
    "https://93.184.216.34/hook",
    "https://[2606:4700:4700::1111]/hook",
    "https://100.63.255.255/", // just below CGNAT
    "https://172.32.0.1/", // just above 172.16/12
  ])("accepts %s", (url) => {
    expect(checkWebhookUrl(url, strict)).toMatchObject({ ok: true });
  });

  it.each<[string, UrlRefusal]>([
    ["http://hooks.example.com/", "scheme"],
    ["ftp://hooks.example.com/", "scheme"],
    ["not a url", "invalid_url"],
    [`https://example.com/${"a".repeat(2100)}`, "too_long"],
    ["https://user:pass@example.com/", "credentials"],
    ["https://localhost/", "loopback"],
    ["https://localhost./", "loopback"],
    ["https://api.localhost/", "loopback"],
    ["https://127.0.0.1/", "loopback"],
    ["https://127.1.2.3/", "loopback"],
    ["https://2130706433/", "loopback"], // decimal 127.0.0.1
    ["https://0x7f.1/", "loopback"],
    ["https://[::1]/", "loopback"],
    ["https://[::ffff:127.0.0.1]/", "loopback"],
    ["https://0.0.0.0/", "private_address"],
    ["https://10.1.2.3/", "private_address"],
    ["https://172.16.0.1/", "private_address"],
    ["https://172.31.255.255/", "private_address"],
    ["https://192.168.1.1/", "private_address"],
    ["https://100.64.0.1/", "private_address"],
    ["https://100.100.100.200/", "private_address"], // Alibaba metadata
    ["https://169.254.169.254/latest/meta-data/", "private_address"], // AWS/GCP/Azure metadata
    ["https://[fd00:ec2::254]/", "private_address"], // AWS IPv6 metadata
    ["https://[fc00::1]/", "private_address"],
    ["https://[fe80::1]/", "private_address"],
    ["https://[::]/", "private_address"],
    ["https://[::ffff:10.0.0.1]/", "private_address"],
    ["https://[::ffff:169.254.169.254]/", "private_address"],
    ["https://[64:ff9b::a00:1]/", "private_address"], // NAT64 of 10.0.0.1
    ["https://[2002:c0a8:101::1]/", "private_address"], // 6to4 of 192.168.1.1
    ["https://[ff02::1]/", "private_address"],
    ["https://224.0.0.1/", "private_address"],
    ["https://255.255.255.255/", "private_address"],
    ["https://metadata.google.internal/computeMetadata/v1/", "reserved_name"],
    ["https://metadata/", "reserved_name"],
    ["https://instance-data/", "reserved_name"],
    ["https://printer.local/", "reserved_name"],
    ["https://router.home.arpa/", "reserved_name"],
    ["https://db.corp/", "reserved_name"],
  ])("refuses %s (%s)", (url, reason) => {
    expect(checkWebhookUrl(url, strict)).toEqual({ ok: false, reason });
  });

  it("allows loopback, over http too, only when the policy says so", () => {
    for (const url of ["http://localhost:3000/hook", "http://127.0.0.1:8080/", "http://[::1]:9000/", "https://localhost/"]) {
      expect(checkWebhookUrl(url, dev), url).toMatchObject({ ok: true });
      expect(checkWebhookUrl(url, strict), url).toEqual({ ok: false, reason: "loopback" });
    }
    // The loopback exception opens neither plain http elsewhere nor private ranges.
    expect(checkWebhookUrl("http://example.com/", dev)).toEqual({ ok: false, reason: "scheme" });
    expect(checkWebhookUrl("https://10.0.0.1/", dev)).toEqual({ ok: false, reason: "private_address" });
    expect(checkWebhookUrl("http://10.0.0.1/", dev)).toEqual({ ok: false, reason: "scheme" });
  });
});
