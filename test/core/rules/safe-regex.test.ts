import { describe, expect, it } from "vitest";
import { checkRegex } from "../../../src/core/rules/safe-regex";

const check = (pattern: string, flags = "") => checkRegex(pattern, flags, 256);

describe("safe regex", () => {
  it.each([
    "^[a-z0-9]+(?:-[a-z0-9]+)*$", // slug: each repetition starts with a separator
    "^\\d{8}$",
    "^(?:\\d{8}|\\d{12,14})$",
    "^R\\$ ?\\d{1,3}(?:\\.\\d{3})*(?:,\\d{2})?$",
    "^(?<ano>\\d{4})-\\d{2}-\\d{2}$",
    "(jpg|jpeg|png|webp)$",
    "^(\\w|-)+$", // alternation of disjoint single characters
    "^.*kit.*$",
    "^\\p{Lu}", // with the u flag below
    "^https?://",
    "(?=.*\\d)^[A-Z0-9-]+$",
  ])("accepts %s", (pattern) => {
    expect(check(pattern, pattern.includes("\\p") ? "u" : "")).toBeUndefined();
  });

  it.each([
    ["(a+)+$", "nested quantifier"],
    ["(a*)*", "nested quantifier"],
    ["^(\\s*\\w+)*$", "nested quantifier"],
    ["((ab)+c)+", "nested quantifier"],
    ["(?:a?){3,}", "nested quantifier"],
    ["(a|aa)+", "alternation"],
    ["(a|a)*b", "alternation"],
    ["(x|)+", "alternation"],
    ["^\\d+\\d+$", "adjacent quantifiers"],
    ["\\w+\\s?\\w+", "adjacent quantifiers"],
    [".*.*=.*", "adjacent quantifiers"],
    ["(\\w)\\1", "backreferences"],
    ["(?<x>a)\\k<x>", "backreferences"],
    ["(?<=R\\$)\\d+", "lookbehind"],
    ["(?<!-)\\d+", "lookbehind"],
    ["(?=a)+", "quantified"],
  ])("rejects %s (%s)", (pattern, reason) => {
    expect(check(pattern)).toContain(reason);
  });

  it("rejects invalid syntax, flags other than i and u, and long patterns", () => {
    expect(check("[a-")).toMatch(/^invalid regular expression/);
    expect(check("a", "g")).toContain('flag "g" is not allowed');
    expect(check("a", "ii")).toBe("regular expression flags repeat");
    expect(check("a".repeat(257))).toBe("regular expression is 257 characters long; at most 256 allowed");
    expect(checkRegex("a".repeat(20), "", 10)).toContain("at most 10");
  });
});
