/** Markdown texts the renderer tests stream: the stories' realistic answer and torture text, and long containers. */
export { REALISTIC_ANSWER, TORTURE } from '../../../stories/support/markdown-corpus.ts';

/**
 * Lists, tables and quotes long enough to be continued child by child while they stream, with
 * what can reach across children: a tight list turning loose late, items with several blocks,
 * nested lists and code, task items, an ordered list from 3, references defined inside an item
 * and after the list, quotes holding fences and headings, table rows with missing, extra and
 * escaped cells.
 */
export const LONG_CONTAINERS = `Intro paragraph.

- one **bold**
- two \`code\`
- three [ref][r1]
- four
  - nested a
  - nested b
- five

- six, the list is loose from here on
- seven
  \`\`\`ts
  const x = 1;
  \`\`\`
- eight

3. three
4. four with a [link](https://example.com/4)
5. five

   second paragraph of five
6. six

- [ ] task one
- [x] task two
- [ ] task three with *emphasis*

* star one
* star two
+ plus one (a new list)
+ plus two

- defines a reference:

  [r2]: https://example.com/r2

- uses [it][r2] and [the first][r1]
- last item

> quote one
> quote two
lazy line
>
> \`\`\`py
> print("in a quote")
> \`\`\`
>
> ## heading in a quote
>
> - list in a quote
> - second
>
> closing paragraph

> a second quote right after a blank line

| name | value | note |
| :--- | ----: | :---: |
| a | 1 | **bold** |
| b | 2 |
| c | 3 | extra | cells |
| \\| pipe | 4 | \`code\` |
| e | 5 | [link](https://example.com/e) |
not a row?

[r1]: https://example.com/r1
`;
