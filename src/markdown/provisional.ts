/**
 * How the open (last, still streaming) block is shown: its unfinished syntax provisionally closed
 * so no raw markers flash (`**bo` shows bold, an open backtick shows code, a half link shows its
 * text), and a last line that is only the start of a construct (`-`, `1.`, `#`, ```` ``` ````, a
 * table row before its delimiter row) held back until it says what it is. Only the displayed
 * render of the open block uses this; the text itself is never changed, and a block is rendered
 * from its real text once it is final.
 */
import remend from 'remend';

/** The open block's kind, as its first block token says (`paragraph_open`, `fence`, `table_open`, …). */
export interface OpenBlock {
  readonly type: string;
  /** For a fence: it has its closing line. */
  readonly closed: boolean;
}

/** A line that is nothing yet but the start of a marker (list, heading, setext underline, rule, quote, fence, table). */
const MARKER_ONLY = /^[ \t>]*(?:[-+*=_ \t]+|#{1,6}|\d{1,9}[.)]?|`{1,2}|~{1,2}|\|)?$/;
/** A fence line (opening or closing) still being written. */
const FENCE_START = /^[ \t>]*(?:`{3,}|~{3,})/;
/** Only fence characters: could still become a closing fence. */
const FENCE_ONLY = /^[ \t>]*(?:`+|~+)[ \t]*$/;
/** A table row in the pipe style models use. */
const PIPE_ROW = /^[ \t]*\|/;

/** remend, with everything that would render differently from the final text switched off (and no math). */
const REMEND_OPTIONS = {
  katex: false,
  inlineKatex: false,
  comparisonOperators: false,
  singleTilde: false,
  linkMode: 'text-only',
} as const;

/** The text to render for the open block `source` (its real text from its first line to the end). */
export function provisionalSource(source: string, block: OpenBlock): string {
  let text = source;
  const lastBreak = text.lastIndexOf('\n');
  const last = text.slice(lastBreak + 1);
  if (last !== '') {
    const openFence = block.type === 'fence' && !block.closed;
    const holdBack = openFence
      ? FENCE_ONLY.test(last)
      : MARKER_ONLY.test(last) || FENCE_START.test(last) || (block.type !== 'table_open' && PIPE_ROW.test(last));
    if (holdBack) text = text.slice(0, lastBreak + 1);
    if (openFence) return text;
  }
  if (block.type === 'paragraph_open') text = withoutPendingTable(text);
  return remend(text, REMEND_OPTIONS);
}

/** A paragraph's trailing pipe rows are a table whose delimiter row has not arrived: hold them back. */
function withoutPendingTable(text: string): string {
  const lines = text.split('\n');
  let keep = lines.length;
  while (keep > 0 && (PIPE_ROW.test(lines[keep - 1]!) || (keep === lines.length && lines[keep - 1] === ''))) keep--;
  if (keep === lines.length || !lines.slice(keep).some((line) => PIPE_ROW.test(line))) return text;
  return lines.slice(0, keep).join('\n') + (keep > 0 ? '\n' : '');
}
