const utf8 = new TextDecoder();
const decoders = new Map<string, TextDecoder>([['utf-8', utf8]]);

/** The declared charset could not be decoded; the body is refused rather than shown as mojibake. */
export class UnsupportedCharsetError extends Error {}

/**
 * The body as text in the charset its Content-Type names (`charset=gbk` from a Chinese gateway),
 * UTF-8 when it names none. JSON is UTF-8 by RFC 8259, but servers that label it otherwise mean it.
 */
export function decodeBody(body: Uint8Array, contentType: string | null): string {
  const label = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (label === undefined || label === 'utf-8' || label === 'utf8') return utf8.decode(body);
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      throw new UnsupportedCharsetError(
        `the body's charset ${JSON.stringify(label.slice(0, 40))} is not one aicredits can decode`,
      );
    }
    decoders.set(decoder.encoding, decoder);
    decoders.set(label, decoder);
  }
  return decoder.decode(body);
}
