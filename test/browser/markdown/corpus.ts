/** Markdown texts the renderer tests stream: a realistic answer, and one with every construct and edge. */

/** A realistic model answer: prose, headings, lists, a table, code blocks, links, a quote. */
export const REALISTIC_ANSWER = `## Adding a retry with backoff

The upload client fails on **transient** network errors. Wrap the call in a retry loop with
exponential backoff and *full jitter*, so many clients do not retry in lockstep. See
[the AWS article](https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/) for why.

### Steps

1. Add a \`retry()\` helper.
2. Call it from \`upload()\`:
   - only for \`5xx\` and network errors,
   - never for \`4xx\`.
3. Test it with a fake clock.

\`\`\`ts
export async function retry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i + 1 >= attempts || !isTransient(error)) throw error;
      await sleep(Math.random() * 2 ** i * 100);
    }
  }
}
\`\`\`

| attempt | max delay | cumulative |
| ------: | --------- | :--------: |
| 1       | 100 ms    | 0.1 s      |
| 2       | 200 ms    | 0.3 s      |
| 3       | 400 ms    | 0.7 s      |

> **Note:** the server must treat the upload as idempotent — send an \`Idempotency-Key\` header.

- [x] helper written
- [ ] wired into \`upload()\`
- [ ] tests

It costs about $5 a month in extra requests, not $50. Questions? Mail ops@example.com or see www.example.com/docs.

---

\`\`\`python
def retry(fn, attempts=5):
    for i in range(attempts):
        try:
            return fn()
        except TransientError:
            time.sleep(random.random() * 2 ** i / 10)
\`\`\`
`;

/** Every construct, nesting, references defined late, and edges that change earlier text. */
export const TORTURE = `Setext heading
==============

Another one
-----------

# ATX *heading* with \`code\`

Paragraph with **bold**, _em_, ***both***, ~~strike~~, \`code\`, a hard break  
here, an escaped \\*star\\*, an entity &copy; &#169; and a [ref link][later] and [collapsed][].

[collapsed]: https://example.com/collapsed "Title"

* loose list item

* second item with a nested list:
  1. one
  2. two
     \`\`\`js
     nested(fence);
     \`\`\`
* third

> quote line one
lazy continuation
> > nested quote
> - list in quote

    indented code block
    second line

~~~
tilde fence with \`\`\` inside
~~~

Table | With | Align
:--- | :---: | ---:
a | b | c
\`|\` pipe | **bold** | [link](https://example.com)

***

Autolinks: <https://example.com/auto> <mailto:me@example.com> https://bare.example.com www.example.org me@example.net

Unsafe: [js](javascript:alert(1)) [data](data:text/html,hi) ![img](https://evil.example/x.png "t") <img src=x onerror=alert(1)>

Raw <b>html</b> stays text, and $5 + $6 is never math.

[later]: https://example.com/later
'a title
on two lines'

[later]
`;

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
