/**
 * A replacement string read once, by the rules of `String.prototype.replace`: `$$` is "$", `$&`
 * the match, `` $` `` and `$'` the text before and after it, `$1`…`$99` a group (two digits only
 * when they name an existing group; an unmatched group is empty; a number that names no group stays
 * as written), `$<name>` a named group (only when the pattern has named groups).
 */

type Part = string | { group: number } | { name: string } | { text: "before" | "after" };

export interface Replacement {
  parts: Part[];
  /** Whether expanding needs the groups' positions, not only the match's. */
  usesGroups: boolean;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

export function readReplacement(template: string, groups: number, hasNames: boolean): Replacement {
  const parts: Part[] = [];
  let literal = "";
  let usesGroups = false;
  const push = (p: Part): void => {
    if (literal) parts.push(literal);
    literal = "";
    parts.push(p);
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const next = template[i + 1];
    if (c !== "$" || next === undefined) {
      literal += c;
      continue;
    }
    if (next === "$") {
      literal += "$";
      i++;
    } else if (next === "&") {
      push({ group: 0 });
      i++;
    } else if (next === "`") {
      push({ text: "before" });
      i++;
    } else if (next === "'") {
      push({ text: "after" });
      i++;
    } else if (isDigit(next)) {
      let digits = isDigit(template[i + 2]) ? template.slice(i + 1, i + 3) : next;
      if (digits.length === 2 && Number(digits) > groups) digits = next;
      const index = Number(digits);
      if (index >= 1 && index <= groups) {
        push({ group: index });
        usesGroups = true;
      } else literal += "$" + digits;
      i += digits.length;
    } else if (next === "<" && hasNames) {
      const close = template.indexOf(">", i + 2);
      if (close < 0) {
        literal += "$<";
        i++;
      } else {
        push({ name: template.slice(i + 2, close) });
        usesGroups = true;
        i = close;
      }
    } else literal += "$";
  }
  if (literal) parts.push(literal);
  return { parts, usesGroups };
}

function group(input: string, caps: Int32Array, g: number): string {
  return caps[2 * g] < 0 ? "" : input.slice(caps[2 * g], caps[2 * g + 1]);
}

/** Appends to `out` the text one match is replaced with; `caps` holds start/end pairs per group (-1 when unmatched). */
export function expandInto(
  out: string[],
  r: Replacement,
  input: string,
  caps: Int32Array,
  names: ReadonlyMap<string, readonly number[]>,
): void {
  const parts = r.parts;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p === "string") out.push(p);
    else if ("group" in p) out.push(group(input, caps, p.group));
    else if ("text" in p) out.push(p.text === "before" ? input.slice(0, caps[0]) : input.slice(caps[1]));
    else {
      const numbers = names.get(p.name) ?? [];
      const hit = numbers.find((g) => caps[2 * g] >= 0);
      if (hit !== undefined) out.push(group(input, caps, hit));
    }
  }
}
