import { describe, expect, it } from "vitest";
import { compilePattern } from "../../../src/core/regex";

const replaceAll = (source: string, flags: string, input: string, replacement: string) =>
  compilePattern(source, flags, { trusted: false }).replaceAll(input, replacement);

describe("linear engine: replace-all", () => {
  it.each([
    ["groups by number", "(\\d+),(\\d{2})", "", "R$ 1299,90 ou 108,33", "$1.$2", "R$ 1299.90 ou 108.33"],
    ["the whole match", "\\d+", "", "a1b22", "<$&>", "a<1>b<22>"],
    ["a dollar sign", "R\\$", "", "R$ 10", "$$", "$ 10"],
    ["the text before and after", "-", "", "a-b", "[$`|$']", "a[a|b]b"],
    ["a named group", "(?<reais>\\d+),(?<centavos>\\d{2})", "", "10,50", "$<reais>.$<centavos>", "10.50"],
    ["$10 with one group is group 1 then 0", "(a)", "", "a", "$10", "a0"],
    ["$0 and a group that does not exist stay as written", "(a)", "", "a", "$0$2", "$0$2"],
    ["an unmatched group is empty", "(a)|(b)", "", "b", "[$1]", "[]"],
    ["$< stays as written without named groups", "a", "", "a", "$<x>", "$<x>"],
    ["groups inside a repetition keep the last iteration", "(?:(\\d)|x)+", "", "1x", "[$1]", "[]"],
    ["lazy quantifiers", "<.+?>", "", "<b>x</b>", "", "x"],
    ["case-insensitive", "frete gr[aá]tis", "i", "FRETE GRÁTIS já", "", " já"],
    ["a positive lookahead's group", "(?=(\\d+))\\d", "", "12", "[$1]", "[12][2]"],
    ["empty matches between characters", "x*", "", "abc", "-", "-a-b-c-"],
    ["an empty match right after a match", "a*", "", "baa", "-", "-b--"],
    ["empty matches step over astral characters under u", "", "u", "a😀", "-", "-a-😀-"],
    ["runs of spaces", "\\s{2,}", "", "Camiseta   Azul  P", " ", "Camiseta Azul P"],
  ])("%s", (_name, source, flags, input, replacement, expected) => {
    expect(replaceAll(source, flags, input, replacement)).toBe(expected);
    expect(input.replace(new RegExp(source, flags + "g"), replacement)).toBe(expected);
  });

  it("leaves a value without matches as it is", () => {
    const value = "sem dígitos";
    expect(replaceAll("\\d", "", value, "#")).toBe(value);
  });
});
