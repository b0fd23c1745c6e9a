import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * 1-based line of the deepest node a JSON pointer reaches in the parsed YAML. Aliases are followed,
 * so a pointer into aliased content lands on the anchored node.
 */
export function lineOf(doc: Document, lines: LineCounter, pointer: string): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const seg of pointerSegments(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? String(it.key.value) : String(it.key)) === seg);
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (keyStart !== undefined) offset = keyStart;
      node = pair.value;
      const valueStart = rangeStart(node);
      // block values start on the next line; point at the key line unless the value is a collection
      if (valueStart !== undefined && (isMap(node) || isSeq(node))) offset = valueStart;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      const s = rangeStart(node);
      if (s !== undefined) offset = s;
    } else break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
