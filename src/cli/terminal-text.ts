/* eslint-disable no-control-regex -- matching control characters is the point of this file */
/** Escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`), and two-character ones. */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
/** C0 and C1 control characters (the 8-bit CSI among them), tab and newline included: one line of text. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Text from a server (a problem's detail, a status text, a header), made safe to print on a terminal: escape
 * sequences are removed (they could move the cursor, rewrite earlier lines, retitle the window or set the
 * clipboard) and other control characters become spaces.
 */
export function terminalText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, ' ');
}
