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

/**
 * A line that is nothing yet but the start of a marker (list, heading, setext underline, rule,
 * quote, fence, table). Each part starts with a character the one before it cannot take, so a long
 * run of spaces is read once, not tried at each split (O(n²)).
 */
const MARKER_ONLY = /^[ \t>]*(?:[-+*=_][-+*=_ \t]*|#{1,6}|\d{1,9}(?:[.)][ \t]*)?|`{1,2}|~{1,2}|\|)?$/;
/** A fence line (opening or closing) still being written. */
const FENCE_START = /^[ \t>]*(?:`{3,}|~{3,})/;
/** Only fence characters: could still become a closing fence. */
const FENCE_ONLY = /^[ \t>]*(?:`+|~+)[ \t]*$/;
/** A table row in the pipe style models use. */
const PIPE_ROW = /^[ \t]*\|/;
/** A list item whose text so far is only the start of a task box (`- [`, `- [x`, `1. [ ]`). */
const TASK_START = /^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]+\[[ xX]?\]?$/;
/** Blocks whose text is shown as written: no inline syntax to close. */
const LITERAL_BLOCKS = new Set(['fence', 'code_block', 'html_block']);
/** The end of a text that may still be the start of an entity (`&`, `&co`, `&#16`, `&#x1F`). */
const ENTITY_START = /&#?[\dA-Za-z]{0,31}$/;
/**
 * The end of a text that is a bracket not yet known to be a link or literal: open (`[label`,
 * `![alt`) or closed with nothing after it that says (`[label]`, `[label][ref`); not a link whose
 * address is streaming (`[label](htt`, which shows as `label`) nor a full reference (`][ref]`).
 */
const BRACKET_END = /(?<!\])!?\[[^[\]\n]*(?:\](?:\[[^[\]\n]*)?)?$/;
/** A run of `*`, `_` or `~` set apart by white space (see `UNFLANKED_RUN`) ending the text but for spaces. */
const TRAILING_UNFLANKED_RUN = /(?<=^|\s)(?:\*{1,3}|_{1,3}|~~?)[^\S\n]+$/;
/** A line of only `=` or `-`: a setext underline (or an empty list item), which ends the paragraph above it. */
const UNDERLINE = /^[ \t>]*(?:=+|-+)$/;
/** How far back from the end the trailing checks look (a longer entity or label is not one to hold). */
const TAIL = 200;

/** remend, with everything that would render differently from the final text switched off (and no math). */
const REMEND_OPTIONS = {
  katex: false,
  inlineKatex: false,
  comparisonOperators: false,
  singleTilde: false,
  linkMode: 'text-only',
} as const;

/**
 * The text to render for the open block `source` (its real text from its first line to the end).
 * With `kept`, a paragraph whose first `kept` characters are shown already (a long paragraph's
 * closed start, see open-paragraph.ts): the text to render after them, which may start within a
 * line (that line's start is not looked at again).
 */
export function provisionalSource(source: string, block: OpenBlock, kept = 0): string {
  let text = kept > 0 ? source.slice(kept) : source;
  const lastBreak = text.lastIndexOf('\n');
  const last = text.slice(lastBreak + 1);
  if (last !== '' && (lastBreak >= 0 || kept === 0)) {
    const openFence = block.type === 'fence' && !block.closed;
    const holdBack = openFence
      ? fenceLineHeld(last)
      : MARKER_ONLY.test(last) ||
        FENCE_START.test(last) ||
        TASK_START.test(last) ||
        (block.type !== 'table_open' && PIPE_ROW.test(last));
    if (holdBack) text = text.slice(0, lastBreak + 1);
    if (openFence) return text;
  }
  if (LITERAL_BLOCKS.has(block.type)) return text;
  if (block.type === 'paragraph_open') text = withoutPendingTable(text, kept > 0);
  text = withoutDanglingEnd(text);
  // remend closes what is open at the very end of the text, and after white space its marker
  // closes nothing and shows as written: after a line break it would start a line of its own, and
  // after a space it cannot close (`**x  **`). It closes the text before the white space, which
  // follows. After a blank line nothing inline is open (emphasis, code spans and links end with
  // their block), so nothing is closed.
  // (trimEnd, not a regex: `\s*$` tries every position of a run of spaces, O(n²) in its length.)
  const end = text.trimEnd();
  const trailing = text.slice(end.length);
  if (trailing.indexOf('\n') !== trailing.lastIndexOf('\n')) return text;
  // Nothing is open after an underline, and remend would mark it as text (a zero-width space after
  // it, shown until the line after it comes).
  return (UNDERLINE.test(end.slice(end.lastIndexOf('\n') + 1)) ? end : closeOpen(end)) + trailing;
}

/**
 * A run of `*`, `_` or `~` with white space on both sides (`to ~~ be`, `2 ** 10`): it can neither
 * open nor close (CommonMark's flanking rules), so it is text. Not three `~`: that may open a
 * fence, whose code remend must see as code.
 */
const UNFLANKED_RUN = /(?<=^|\s)(?:\*{1,3}|_{1,3}|~~?)(?=\s)/gm;

/**
 * `end` with what is open at its end closed by remend, which counts a marker that cannot open as
 * open: `to ~~ be` became `to ~~ be~~`, its added `~~` shown as text. remend is given the text with
 * such runs masked, and what it adds is put after the real text. `text` ends in no white space.
 */
function closeOpen(text: string): string {
  const masked = text.replace(UNFLANKED_RUN, (run) => 'x'.repeat(run.length));
  if (masked === text) return remend(text, REMEND_OPTIONS);
  const closed = remend(masked, REMEND_OPTIONS);
  return closed.startsWith(masked) ? text + closed.slice(masked.length) : remend(text, REMEND_OPTIONS);
}

/** The incomplete last line of an open fence is held back: it is only fence characters, so it may become the closing line. */
export function fenceLineHeld(line: string): boolean {
  return FENCE_ONLY.test(line);
}

/**
 * The text without what its end cannot show yet: a run of emphasis, strike or code markers with
 * nothing after it (`and **`, `***both*`), half an escape (`\`), half an entity (`&co`), and a
 * bracket until the text after it says whether it is literal (`[1]` in prose, `array[i]`) or a
 * link (`[label](` shows `label` while its address streams). Each would flash for a frame, as a
 * raw marker or as brackets put around text already shown; held back, it shows once it says what
 * it is, and if it stays literal it only appears later, never disappears.
 */
function withoutDanglingEnd(whole: string): string {
  // A run set apart by spaces with nothing after it yet (`to ** `): the text after it says whether
  // it opens, and a closing marker put after it would join it.
  const text = whole.replace(TRAILING_UNFLANKED_RUN, '');
  let end = text.length;
  while (end > 0 && '*_~`'.includes(text[end - 1]!)) end--;
  // After an odd run of backslashes the first marker is escaped (literal) and stays; a lone `\` at
  // the end is half an escape.
  if (oddBackslashesBefore(text, end)) end = end < text.length ? end + 1 : end - 1;
  const cut = Math.max(0, end - TAIL);
  const tail = text.slice(cut, end);
  const entity = ENTITY_START.exec(tail);
  if (entity) return text.slice(0, cut + entity.index);
  const bracket = BRACKET_END.exec(tail);
  if (bracket) return text.slice(0, cut + bracket.index);
  return text.slice(0, end);
}

/**
 * A paragraph's trailing pipe rows are a table whose delimiter row has not arrived: hold them back.
 * `midLine`: the text's first line is the end of a line (not a row).
 */
function withoutPendingTable(text: string, midLine: boolean): string {
  const lines = text.split('\n');
  let keep = lines.length;
  while (
    keep > (midLine ? 1 : 0) &&
    (PIPE_ROW.test(lines[keep - 1]!) || (keep === lines.length && lines[keep - 1] === ''))
  )
    keep--;
  if (keep === lines.length || !lines.slice(keep).some((line) => PIPE_ROW.test(line))) return text;
  return lines.slice(0, keep).join('\n') + (keep > 0 ? '\n' : '');
}

/** True when the backslashes right before `at` in `text` are an odd run (the character at `at` is escaped). */
function oddBackslashesBefore(text: string, at: number): boolean {
  let from = at;
  while (from > 0 && text[from - 1] === '\\') from--;
  return (at - from) % 2 === 1;
}
