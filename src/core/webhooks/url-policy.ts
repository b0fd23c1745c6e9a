import ipaddr from "ipaddr.js";

/**
 * Which URLs Vitrine may POST webhooks to. Checked when an endpoint is created or
 * changed and again before every attempt, so a tightened rule applies to old rows.
 *
 * Only the URL is inspected: Workers cannot resolve DNS before fetch, so a public
 * name pointing at a private address is stopped by the platform (Cloudflare does
 * not connect Workers to private networks), not here.
 */
export type UrlRefusal =
  | "invalid_url"
  | "too_long"
  | "scheme"
  | "credentials"
  | "loopback"
  | "private_address"
  | "reserved_name";

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: UrlRefusal };

export interface UrlPolicy {
  /** Development only: allow loopback targets (and plain http to them) for local receivers. */
  allowLoopback: boolean;
}

export const MAX_URL_LENGTH = 2048;

export const URL_REFUSALS: Record<UrlRefusal, { en: string; "pt-BR": string }> = {
  invalid_url: { en: "is not a valid absolute URL", "pt-BR": "não é uma URL absoluta válida" },
  too_long: { en: `is longer than ${MAX_URL_LENGTH} characters`, "pt-BR": `tem mais de ${MAX_URL_LENGTH} caracteres` },
  scheme: { en: "must use https", "pt-BR": "deve usar https" },
  credentials: {
    en: "must not contain a user name or password; receivers authenticate deliveries by their signature",
    "pt-BR": "não deve conter usuário ou senha; o receptor autentica as entregas pela assinatura",
  },
  loopback: { en: "points at a loopback address", "pt-BR": "aponta para um endereço de loopback" },
  private_address: {
    en: "points at a private, link-local, shared or reserved address",
    "pt-BR": "aponta para um endereço privado, link-local, compartilhado ou reservado",
  },
  reserved_name: {
    en: "uses a host name that is local, internal or not fully qualified",
    "pt-BR": "usa um nome de host local, interno ou não totalmente qualificado",
  },
};

/** Names that only mean something inside a network (RFC 6761, RFC 6762, RFC 8375, cloud metadata). */
const RESERVED_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "intranet", "lan", "corp"];

export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: "too_long" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid_url" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "scheme" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };

  const host = classifyHost(url.hostname);
  if (host === "loopback") {
    // Loopback is the one exception, and only where the deployment asked for it.
    return policy.allowLoopback ? { ok: true, url } : { ok: false, reason: "loopback" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "scheme" };
  if (host === "private") return { ok: false, reason: "private_address" };
  if (host === "reserved") return { ok: false, reason: "reserved_name" };
  return { ok: true, url };
}

type HostClass = "public" | "loopback" | "private" | "reserved";

function classifyHost(hostname: string): HostClass {
  // The URL parser has already canonicalized IPv4 (0x7f.1 → 127.0.0.1) and IPv6 text.
  const name = hostname.toLowerCase().replace(/\.$/, "");
  const literal = name.startsWith("[") ? name.slice(1, -1) : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? name : undefined;
  if (literal !== undefined) return ipaddr.isValid(literal) ? classifyAddress(ipaddr.parse(literal)) : "reserved";
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (!name.includes(".")) return "reserved";
  if (RESERVED_SUFFIXES.some((suffix) => name === suffix || name.endsWith("." + suffix))) return "reserved";
  return "public";
}

/**
 * An address is public only when ipaddr.js (which follows the IANA IPv4 and IPv6 special-purpose
 * registries) calls it plain unicast. Every special range is refused — private, shared (CGNAT),
 * link-local, documentation, benchmarking, multicast, reserved — and so is every IPv6 form that
 * carries an IPv4 address (mapped in any notation, NAT64 well-known and local-use, 6to4, Teredo,
 * the deprecated IPv4-compatible ::/96), because what it reaches is decided by the IPv4 inside.
 * Loopback is told apart so development can allow it.
 */
function classifyAddress(address: ipaddr.IPv4 | ipaddr.IPv6): HostClass {
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return classifyAddress(v6.toIPv4Address()) === "loopback" ? "loopback" : "private";
    if (v6.parts.slice(0, 6).every((part) => part === 0) && !v6.parts.slice(6).every((part) => part === 0) && v6.range() !== "loopback") return "private";
  }
  const range = address.range();
  if (range === "loopback") return "loopback";
  return range === "unicast" ? "public" : "private";
}
