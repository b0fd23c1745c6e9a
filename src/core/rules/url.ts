export const URL_SCHEME = /^[a-z][a-z0-9+.-]{0,31}$/;

// Host label characters: ASCII letters and digits, and any non-ASCII character except Unicode
// spaces and C1 controls (internationalized domain names). Listed as ranges because the `u` flag
// with \p{L} makes the expression several times slower, and this runs for every image of every record.
const L = "0-9a-z\\u00a1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\uffff";
// Letter/digit runs joined by hyphens: no leading or trailing hyphen, and no backtracking.
const LABEL = `[${L}]+(?:-+[${L}]+)*`;
const HOST = `(?:\\[[0-9a-f:.]+\\]|${LABEL}(?:\\.${LABEL})*\\.?)`;

function escapeScheme(s: string): string {
  return s.replace(/[.+]/g, "\\$&");
}

/**
 * A test for absolute URLs: an allowed scheme, `://`, a host (DNS name, IPv4, or bracketed IPv6),
 * an optional port, then path/query/fragment without whitespace. User info (`user:pass@`) is
 * refused: marketplaces reject credentials in product URLs. Surrounding whitespace makes the URL
 * invalid (a `trim` fix can correct it).
 */
export function compileUrlTest(schemes: readonly string[]): (s: string) => boolean {
  const re = new RegExp(`^(?:${schemes.map(escapeScheme).join("|")}):\\/\\/${HOST}(?::\\d{1,5})?(?:[/?#]\\S*)?$`, "i");
  return (s) => re.test(s);
}
