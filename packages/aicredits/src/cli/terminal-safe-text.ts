/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts CSI and OSC sequences,
 * `\r` returns to the line start and can fake a row), DEL, C1 controls (U+009B is a one-byte CSI),
 * bidi overrides and isolates that reorder what follows, and line and paragraph separators.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** What `JSON.stringify` leaves raw (it escapes C0 itself; the layout's own line breaks must stay). */
const unsafeBeyondC0 = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Whether `text` holds a character `terminalSafeText` would rewrite. */
export function hasTerminalControls(text: string): boolean {
  unsafe.lastIndex = 0;
  return unsafe.test(text);
}

/**
 * Provider-controlled text made safe to print: every control or bidi character shown as a visible
 * escape (`\x1b`, `\u202e`), so it reads as what it is and does nothing.
 */
export function terminalSafeText(text: string): string {
  return text.replace(unsafe, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The same characters escaped the JSON way, for `--json`: `JSON.stringify` escapes C0 only, and a
 * terminal showing the document would act on C1 and bidi characters. Valid inside JSON strings,
 * which is the only place they can occur in `JSON.stringify` output.
 */
export function escapeForJson(json: string): string {
  return json.replace(unsafeBeyondC0, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
