/**
 * Stored text reaches the operator's terminal through the CLI, and anyone with a write key can store text.
 * Escape sequences (ANSI colours, cursor moves, OSC 8 links, OSC 52 clipboard writes, window titles) and bidi
 * overrides in it must not act on the terminal: human output shows them as visible escapes, and JSON output
 * escapes them as \u sequences, which leaves the JSON value exactly as stored.
 */

/**
 * C0 controls except tab and newline, DEL, C1 controls, and the invisible format characters that reorder or
 * hide text (bidi embeddings, overrides and isolates, marks, line/paragraph separators).
 */
const UNSAFE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every terminal-active or text-reordering character written out as `\xNN` / `\uNNNN`. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** JSON text with the same characters as JSON `\u` escapes: still valid JSON, parsing to the same value. */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
