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
  if (name.startsWith("[")) return classifyIpv6(name.slice(1, -1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return classifyIpv4(name.split(".").map(Number));
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (!name.includes(".")) return "reserved";
  if (RESERVED_SUFFIXES.some((suffix) => name === suffix || name.endsWith("." + suffix))) return "reserved";
  return "public";
}

/** [prefix, bits] → class; everything not listed is public unicast. */
const IPV4_RANGES: [number[], number, HostClass][] = [
  [[127, 0, 0, 0], 8, "loopback"],
  [[0, 0, 0, 0], 8, "private"], // "this network"
  [[10, 0, 0, 0], 8, "private"],
  [[100, 64, 0, 0], 10, "private"], // CGNAT; also Alibaba Cloud's metadata at 100.100.100.200
  [[169, 254, 0, 0], 16, "private"], // link-local; AWS/GCP/Azure metadata at 169.254.169.254
  [[172, 16, 0, 0], 12, "private"],
  [[192, 0, 0, 0], 24, "private"], // IETF protocol assignments
  [[192, 0, 2, 0], 24, "private"], // documentation
  [[192, 88, 99, 0], 24, "private"], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, "private"],
  [[198, 18, 0, 0], 15, "private"], // benchmarking
  [[198, 51, 100, 0], 24, "private"], // documentation
  [[203, 0, 113, 0], 24, "private"], // documentation
  [[224, 0, 0, 0], 4, "private"], // multicast
  [[240, 0, 0, 0], 4, "private"], // reserved, including broadcast
];

function classifyIpv4(octets: number[]): HostClass {
  const value = ipv4Number(octets);
  for (const [prefix, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === ((ipv4Number(prefix) & mask) >>> 0)) return kind;
  }
  return "public";
}

function ipv4Number(octets: number[]): number {
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/** Parses canonical IPv6 text (as URL.hostname gives it, brackets removed) into 8 groups. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...new Array(missing).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function classifyIpv6(text: string): HostClass {
  const g = ipv6Groups(text);
  if (!g) return "reserved";
  const embeddedV4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const firstSix = g.slice(0, 6);
  if (g.every((x) => x === 0)) return "private"; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback"; // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address they carry.
  if (firstSix.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return classifyIpv4(embeddedV4(g[6], g[7]));
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) also reach an IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIpv4(embeddedV4(g[6], g[7]));
  if (g[0] === 0x2002) return classifyIpv4(embeddedV4(g[1], g[2]));
  if ((g[0] & 0xfe00) === 0xfc00) return "private"; // fc00::/7 unique local (AWS metadata fd00:ec2::254)
  if ((g[0] & 0xffc0) === 0xfe80) return "private"; // fe80::/10 link-local
  if ((g[0] & 0xffc0) === 0xfec0) return "private"; // fec0::/10 site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return "private"; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "private"; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return "private"; // discard-only
  return "public";
}
