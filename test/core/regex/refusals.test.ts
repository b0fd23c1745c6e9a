import { describe, expect, it } from "vitest";
import { compilePattern, linearPatternProblem, MAX_PROGRAM_SIZE } from "../../../src/core/regex";
import { VitrineError } from "../../../src/core/errors";

describe("what the linear engine refuses", () => {
  it.each([
    ["a backreference", "(\\w)\\1", "", "backreferences"],
    ["a named backreference", "(?<x>a)\\k<x>", "", "backreferences"],
    ["a backreference under u", "(a)\\1", "u", "backreferences"],
    ["lookbehind", "(?<=R\\$)\\d+", "", "lookbehind"],
    ["negative lookbehind", "(?<!-)\\d+", "", "lookbehind"],
    ["inline modifiers", "(?i:kit)", "", "inline modifiers"],
    ["a legacy octal escape", "\\01", "", "octal"],
    ["\\c without a letter", "a\\c", "", "\\c must be followed by a letter"],
    ["a program too large once expanded", "[a-z]{1,200}", "", "too large"],
    ["nested counts", "(?:(?:ab){20}){20}", "", "too large"],
    ["the g flag", "a", "g", "flags"],
    ["an invalid pattern", "(", "", "invalid regular expression"],
  ])("%s", (_name, source, flags, reason) => {
    const problem = linearPatternProblem(source, flags);
    expect(problem?.en).toContain(reason);
    expect(problem?.["pt-BR"]).toBeTruthy();
    expect(problem?.["pt-BR"]).not.toBe(problem?.en);
    expect(() => compilePattern(source, flags, { trusted: false })).toThrow(VitrineError);
  });

  it.each([
    ["lookahead", "^(?=.*\\d)(?!.*--)[A-Z0-9-]+$"],
    ["named groups", "^(?<ano>\\d{4})-(?<mes>\\d{2})$"],
    ["a count that fits", "^[^<>]{1,60}$"],
    ["the patterns the shape check lets through", "^.*a.*a.*a.*a.*a.*a$"],
  ])("accepts %s", (_name, source) => {
    expect(linearPatternProblem(source, "")).toBeUndefined();
  });

  it("says which limit a large pattern exceeds", () => {
    expect(linearPatternProblem("a{400}", "")?.en).toContain(String(MAX_PROGRAM_SIZE));
  });

  it("does not mention flags when the problem is in the pattern (callers point such messages at the flags field)", () => {
    for (const source of ["(?i:kit)", "(a)\\1", "(?<=a)b", "a{400}", "\\01"]) {
      expect(linearPatternProblem(source, "")?.en).not.toMatch(/flag/);
    }
  });
});
