/**
 * A corpus of XSS payloads for the `xss` scenario and the security tests. Every payload that
 * ever executed would run `XSS_HIT`, which bumps `window.__xss`: a page-level tripwire. The
 * corpus covers script tags, event-handler attributes, javascript: and data: URLs, SVG and
 * MathML, entity tricks, broken and nested markup, attribute and tag breakouts, template and
 * Lit-marker injection, CSS vectors, and unicode tricks (homoglyphs, bidi, zero-width, NUL).
 */

/** The code every payload runs if it is ever executed. */
export const XSS_HIT = 'window.__xss=(window.__xss||0)+1';

const H = XSS_HIT;
/** The same code with no quotes or spaces, for unquoted attribute contexts. */
const Hq = 'window.__xss=1';

/** The payloads, each a string an agent (or a hostile server) might send as content. */
export const XSS_PAYLOADS: readonly string[] = [
  // Script elements
  `<script>${H}</script>`,
  `<SCRIPT SRC=data:text/javascript,${Hq}></SCRIPT>`,
  `<script src="javascript:${H}"></script>`,
  `<svg><script>${H}</script></svg>`,
  // Event-handler attributes
  `<img src=x onerror="${H}">`,
  `<img src=x onerror=${Hq}>`,
  `<svg onload="${H}">`,
  `<svg/onload=${Hq}>`,
  `<body onload="${H}">`,
  `<details open ontoggle="${H}">`,
  `<video><source onerror="${H}"></video>`,
  `<audio src=x onerror="${H}">`,
  `<input autofocus onfocus="${H}">`,
  `<marquee onstart="${H}">`,
  `<div onmouseover="${H}" style="position:fixed;inset:0">hover</div>`,
  `<iframe onload="${H}"></iframe>`,
  `<object data=x onerror="${H}">`,
  // javascript:, data: and vbscript: URLs
  `<a href="javascript:${H}">click</a>`,
  `<a href="JaVaScRiPt:${H}">click</a>`,
  `<a href="java\tscript:${H}">tab</a>`,
  `<a href="&#106;avascript:${H}">entity</a>`,
  `<iframe src="javascript:${H}"></iframe>`,
  `<iframe srcdoc="<script>parent.${H}</script>"></iframe>`,
  `<object data="javascript:${H}"></object>`,
  `<embed src="javascript:${H}">`,
  `<form action="javascript:${H}"><button>go</button></form>`,
  `<button formaction="javascript:${H}">go</button>`,
  `<iframe src="data:text/html,<script>parent.${H}</script>"></iframe>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${H}">`,
  `<base href="javascript:${H}//">`,
  `javascript:${H}`,
  `data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==`,
  `vbscript:msgbox(1)`,
  // SVG and MathML
  `<svg><a xlink:href="javascript:${H}"><text y="20">x</text></a></svg>`,
  `<svg><animate onbegin="${H}" attributeName="x" dur="1s"/></svg>`,
  `<svg><foreignObject><img src=x onerror="${H}"></foreignObject></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${H}">`,
  `<math href="javascript:${H}">x</math>`,
  // Entity tricks
  `&lt;script&gt;${H}&lt;/script&gt;`,
  `&#60;img src=x onerror=${Hq}&#62;`,
  `<img src=x onerror="&#119;indow.__xss=1">`,
  `<img src=x onerror="\\u0077indow.__xss=1">`,
  `&amp;lt;script&amp;gt;`,
  // Broken, nested and comment markup
  `<img src=x onerror=${Hq}`,
  `<<script>${H}//<</script>`,
  `<scr<script>ipt>${H}</scr</script>ipt>`,
  `<!--<img src="--><img src=x onerror=${Hq}//">`,
  `<noscript><p title="</noscript><img src=x onerror=${Hq}>">`,
  `</textarea><script>${H}</script>`,
  `</title><script>${H}</script>`,
  `</style><script>${H}</script>`,
  `"><img src=x onerror=${Hq}>`,
  `'><svg/onload=${Hq}>`,
  `" onmouseover="${H}" x="`,
  `<![CDATA[<script>${H}</script>]]>`,
  `<template><img src=x onerror=${Hq}></template>`,
  // Template, Lit-marker and framework injection
  `\${${H}}`,
  `{{constructor.constructor('${H}')()}}`,
  `<!--?lit$1234$--><img src=x onerror=${Hq}>`,
  `lit$1234$`,
  `<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">${H}</x:script>`,
  // CSS vectors
  `<style>@import 'javascript:${H}';</style>`,
  `<div style="background:url(javascript:${H})">css</div>`,
  `<link rel=stylesheet href="javascript:${H}">`,
  // Markdown-looking links (text only, no markdown is rendered)
  `[click](javascript:${H})`,
  `![x](x" onerror="${H})`,
  // Unicode tricks
  `＜script＞${H}＜/script＞`,
  `<scr\u200Bipt>${H}</scr\u200Bipt>`,
  `<scr\u0000ipt>${H}</script>`,
  `\u202E<img src=x onerror=${Hq}>\u202C`,
  `\uFEFF<script>${H}</script>`,
  `\u2028<img src=x onerror=${Hq}>\u2029`,
  `<img src=x onerror="${H}"> 😀 中文 é`,
  `\r\n<script>${H}</script>\r\n`,
];
