/** The lines of a UTF-8 byte stream, without terminators; a final unterminated line is included. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let carry = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = carry + value;
    let from = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", from)) {
      yield text.slice(from, nl);
      from = nl + 1;
    }
    carry = text.slice(from);
  }
  if (carry) yield carry;
}
