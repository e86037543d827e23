/**
 * P2's input: deterministic, realistic model answers in markdown, and the tokens a model would
 * stream them in. An answer is a run of sections, each a heading, prose with inline markup
 * (bold, emphasis, inline code, links, strikethrough), a list (bullets, ordered, nested or tasks),
 * a fenced code block, a table or a quote, in a fixed pseudo-random order (seeded): the 20,000
 * character answer has 10 code blocks and 3 tables, the 100,000 character one 52 and 20.
 */

/** A small seeded PRNG (mulberry32): the same answer on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the agent reads a file and then writes tests for each module so that every change is checked before ' +
  'deploy stream token event server client state reducer snapshot resume cursor sequence number gap ' +
  'duplicate heartbeat proxy buffer approval prompt answer progress step plan build run log tool call ' +
  'retry backoff jitter timeout request response header body cache index query schema migration worker'
).split(' ');
const IDENTIFIERS = ['retry', 'upload', 'fetchRun', 'decode', 'applyEvent', 'snapshot', 'resumeAfter', 'sleep'];
const LANGUAGES = ['ts', 'python', 'bash', 'json', 'go', 'rust'] as const;

/** Writes one answer; `pick` and `words` draw from the seeded PRNG. */
class AnswerWriter {
  private readonly next: () => number;
  private section = 0;

  constructor(seed: number) {
    this.next = random(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  private words(n: number): string {
    return Array.from({ length: n }, () => this.pick(WORDS)).join(' ');
  }

  /** A sentence with, now and then, inline markup. */
  private sentence(): string {
    const parts = [this.words(this.int(4, 9))];
    const markup = this.next();
    if (markup < 0.2) parts.push(`**${this.words(2)}**`);
    else if (markup < 0.35) parts.push(`*${this.words(this.int(1, 3))}*`);
    else if (markup < 0.55) parts.push(`\`${this.pick(IDENTIFIERS)}()\``);
    else if (markup < 0.65) parts.push(`[${this.words(2)}](https://docs.example.com/${this.pick(IDENTIFIERS)})`);
    else if (markup < 0.7) parts.push(`~~${this.words(2)}~~`);
    parts.push(this.words(this.int(2, 7)));
    const text = parts.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}${this.next() < 0.15 ? ':' : '.'}`;
  }

  private paragraph(): string {
    return Array.from({ length: this.int(2, 5) }, () => this.sentence()).join(' ');
  }

  private list(): string {
    const kind = this.next();
    const items = this.int(3, 6);
    const lines: string[] = [];
    for (let i = 0; i < items; i++) {
      const marker = kind < 0.4 ? '-' : kind < 0.75 ? `${i + 1}.` : `- [${this.next() < 0.5 ? 'x' : ' '}]`;
      lines.push(`${marker} ${this.sentence()}`);
      if (kind < 0.75 && this.next() < 0.25) {
        const indent = ' '.repeat(marker.length + 1);
        for (let j = this.int(1, 3); j > 0; j--) lines.push(`${indent}- ${this.words(this.int(3, 8))}`);
      }
    }
    return lines.join('\n');
  }

  private code(): string {
    const language = this.pick(LANGUAGES);
    const name = this.pick(IDENTIFIERS);
    const lines: string[] = [];
    const body = this.int(6, 18);
    if (language === 'json') {
      lines.push('{');
      for (let i = 0; i < body; i++)
        lines.push(`  "${this.pick(WORDS)}_${i}": ${this.next() < 0.5 ? this.int(0, 9999) : `"${this.words(2)}"`},`);
      lines.push('  "done": true', '}');
    } else if (language === 'bash') {
      for (let i = 0; i < body; i++)
        lines.push(
          `${this.pick(['npm run', 'curl -sS', 'git', 'docker'])} ${this.words(this.int(1, 3))} --${this.pick(WORDS)}`,
        );
    } else {
      const [open, close, comment] =
        language === 'python' ? [`def ${name}(attempts=5):`, '', '#'] : [`function ${name}(attempts = 5) {`, '}', '//'];
      lines.push(open);
      const python = language === 'python';
      const end = python ? '' : ';';
      for (let i = 0; i < body; i++) {
        const line = this.next();
        const value = `${this.pick(IDENTIFIERS)}(${this.pick(WORDS)}, ${i})`;
        if (line < 0.2) lines.push(`    ${comment} ${this.words(this.int(3, 8))}`);
        else if (line < 0.5) lines.push(`    ${python ? '' : 'const '}${this.pick(WORDS)}${i} = await ${value}${end}`);
        else if (line < 0.7)
          lines.push(
            `    if ${python ? '' : '('}${this.pick(WORDS)} > ${this.int(1, 500)}${python ? ':' : ')'} return ${this.pick(WORDS)}${end}`,
          );
        else
          lines.push(
            `    ${this.pick(IDENTIFIERS)}(${this.pick(WORDS)}.${this.pick(WORDS)}, "${this.words(2)}")${end}`,
          );
      }
      if (close) lines.push(close);
    }
    return `\`\`\`${language}\n${lines.join('\n')}\n\`\`\``;
  }

  private table(): string {
    const columns = this.int(3, 4);
    const header = Array.from({ length: columns }, () => this.pick(WORDS));
    const rows = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
    for (let r = this.int(3, 6); r > 0; r--)
      rows.push(
        `| ${Array.from({ length: columns }, (_, i) => (i === 0 ? `\`${this.pick(IDENTIFIERS)}\`` : `${this.int(1, 900)} ms`)).join(' | ')} |`,
      );
    return rows.join('\n');
  }

  private quote(): string {
    return Array.from({ length: this.int(1, 3) }, () => `> ${this.sentence()}`).join('\n');
  }

  /** One section's blocks: a heading, prose, a list, a code block and a mix of the others. */
  sectionBlocks(): string[] {
    this.section++;
    const blocks = [`## ${this.section}. ${this.sentence().replace(/[.:]$/, '')}`, this.paragraph()];
    const extras = [() => this.list(), () => this.table(), () => this.quote(), () => this.paragraph()];
    const order = extras.filter(() => this.next() < 0.6);
    blocks.push(this.list());
    blocks.push(this.code());
    for (const extra of order) blocks.push(extra());
    if (this.next() < 0.5) blocks.push(this.paragraph(), this.code());
    if (this.next() < 0.15) blocks.push('---');
    blocks.push(this.paragraph());
    return blocks;
  }
}

/**
 * A realistic answer of `size` characters or just under (ASCII, so bytes too): whole blocks, the
 * last one complete. Answers of one seed are prefixes of each other, so sizes compare like with like.
 */
export function markdownAnswer(size: number, seed = 12): string {
  const writer = new AnswerWriter(seed);
  let text = '';
  for (;;) {
    for (const block of writer.sectionBlocks()) {
      const next = `${text}${text === '' ? '' : '\n\n'}${block}`;
      if (next.length + 1 > size) return `${text}\n`;
      text = next;
    }
  }
}

/** A long top-level construct: a bullet list, a table, a block quote, one paragraph or one code block. */
export type LongShape = 'list' | 'table' | 'quote' | 'paragraph' | 'code';

/**
 * An answer that is one intro line and one long `shape` of `count` items: list items (some with
 * a nested list), table rows, quoted paragraphs, or sentences of one paragraph on one line (with
 * bold, code, links, citations like `[3]` and strikethrough). What a model writes for "list
 * every ..." or "explain in detail".
 */
export function markdownLong(shape: LongShape, count: number, seed = 12): string {
  const next = random(seed);
  const word = (): string => WORDS[Math.floor(next() * WORDS.length)]!;
  const words = (n: number): string => Array.from({ length: n }, word).join(' ');
  const lines = [`Here is the whole ${shape}:`, ''];
  if (shape === 'table') lines.push('| # | name | what | cost |', '| ---: | --- | --- | ---: |');
  if (shape === 'code') lines.push('```ts');
  for (let i = 1; i <= count; i++) {
    if (shape === 'list') {
      lines.push(`- **${word()} ${i}**: ${words(6 + Math.floor(next() * 10))} \`${word()}()\`.`);
      if (next() < 0.1) lines.push(`  - ${words(5)}`, `  - ${words(4)}`);
    } else if (shape === 'table') {
      lines.push(`| ${i} | \`${word()}\` | ${words(4 + Math.floor(next() * 6))} | ${Math.floor(next() * 900)} ms |`);
    } else if (shape === 'code') {
      const indent = '  '.repeat(1 + (i % 3));
      lines.push(
        i % 9 === 0
          ? `${indent}// ${words(4 + Math.floor(next() * 6))}`
          : `${indent}const ${word()}${i} = await ${word()}(\`${words(2)}\`, ${Math.floor(next() * 900)}, { retry: ${i % 2 === 0} });`,
      );
    } else if (shape === 'quote') {
      lines.push(`> **${word()} ${i}**: ${words(6 + Math.floor(next() * 10))}.`, '>');
    } else {
      const markup = [`**${words(2)}**`, `\`${word()}()\``, `[${words(2)}](https://docs.example.com/${i})`, `[${i}]`];
      const sentence = `${words(3 + Math.floor(next() * 8))} ${markup[i % 4]!} ${i % 7 === 0 ? `~~${word()}~~ ` : ''}${words(2)}.`;
      lines.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}`);
    }
  }
  if (shape === 'code') lines.push('```');
  if (shape === 'paragraph') return `${lines.slice(0, 2).join('\n')}\n${lines.slice(2).join(' ')}\n`;
  return `${lines.join('\n')}\n`;
}

/**
 * The tokens a model streams `text` in: a word or a run of at most 8 letters or digits with its
 * leading whitespace, a run of up to 3 punctuation characters, or a line break run (about 4
 * characters a token, as in English prose with BPE).
 */
export function modelTokens(text: string): string[] {
  return text.match(/[ \t]*[A-Za-z0-9]{1,8}|[ \t]*[^\sA-Za-z0-9]{1,3}|\n+|[ \t]+/g) ?? [];
}
