/**
 * `npm run jsx-types` (part of `npm run build`): JSX types of the agentwire elements, generated
 * from custom-elements.json (run `npm run analyze` first) into dist/types/:
 *
 * - jsx.d.ts: per element, its settable properties and attributes and its events, framework-free;
 * - jsx-react.d.ts: those in React 19's `JSX.IntrinsicElements` (properties as props, events as
 *   `on<event>` props, e.g. `onapproval-settle`, which is how React 19 adds listeners to custom
 *   elements);
 * - jsx-preact.d.ts: the same for Preact, which treats custom elements alike;
 * - jsx-vue.d.ts: the elements as Vue's `GlobalComponents` for vue-tsc (`:run.prop`, `@approval-settle`),
 *   the way Vue's guide types custom elements;
 * - jsx-svelte.d.ts: the elements in Svelte's `SvelteHTMLElements` for svelte-check (`{run}`,
 *   `onapproval-settle`);
 * - react.d.ts, vue.d.ts, svelte.d.ts: the types of `agentwire/react`, `agentwire/vue` and
 *   `agentwire/svelte`, which bring their framework's template types along.
 *
 * Property types are indexed access types of the element classes (`AgentRun['baseUrl']`), so
 * they never drift from the classes; the manifest says which members are public API.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = join(ROOT, 'dist/types');
/** The module every class and event type is imported from (its exports are checked below). */
const COMPONENTS_MODULE = 'src/components/index.ts';
/** Folders of the dev elements (`<agent-inspector>`, `<transport-compare>`): no JSX types. */
const DEV_ELEMENT_DIRS = ['src/components/agent-inspector/', 'src/components/transport-compare/'];

/** The parts of custom-elements.json (schema 2.x) read here. */
interface Manifest {
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string }[] }[];
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  members?: Member[];
  attributes?: { name: string; fieldName?: string; description?: string }[];
  events?: { name: string; type?: { text: string }; description?: string }[];
}
interface Member {
  kind: string;
  name: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  description?: string;
}

/** One element as the JSX types need it. */
interface ElementInfo {
  tag: string;
  className: string;
  summary: string;
  /** JSX prop name → doc, and the class field its value type comes from. */
  props: { key: string; field: string; doc: string }[];
  events: { name: string; type: string; doc: string }[];
}

const doc = (text: string | undefined, indent = '  '): string =>
  text ? `${indent}/** ${text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim()} */\n` : '';
const quote = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`);
const pascal = (tag: string): string => tag.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());

/** Public, writable fields: the properties a user may set (not the ones documented as read-only, reflected state). */
function isSettable(m: Member): boolean {
  return (
    m.kind === 'field' &&
    !m.static &&
    !m.readonly &&
    (m.privacy ?? 'public') === 'public' &&
    !/\bRead-only\b/.test(m.description ?? '')
  );
}

/** The elements of the manifest, checked against the exports of the components module. */
export function readElements(manifest: Manifest): ElementInfo[] {
  const exported = new Set(
    manifest.modules.find((m) => m.path === COMPONENTS_MODULE)?.exports?.map((e) => e.name) ?? [],
  );
  const elements: ElementInfo[] = [];
  for (const mod of manifest.modules) {
    // The dev elements ship in agentwire/inspector, not among the elements frameworks render.
    if (DEV_ELEMENT_DIRS.some((dir) => mod.path.startsWith(dir))) continue;
    for (const d of mod.declarations ?? []) {
      if (!d.customElement || !d.tagName) continue;
      const fields = (d.members ?? []).filter(isSettable);
      const settable = new Set(fields.map((f) => f.name));
      const props = fields.map((f) => ({ key: f.name, field: f.name, doc: f.description ?? '' }));
      for (const a of d.attributes ?? []) {
        if (a.fieldName && settable.has(a.fieldName) && a.name !== a.fieldName) {
          props.push({
            key: a.name,
            field: a.fieldName,
            doc: `Attribute of \`${a.fieldName}\`: ${a.description ?? ''}`,
          });
        }
      }
      const events = (d.events ?? []).map((e) => ({
        name: e.name,
        type: e.type?.text ?? 'Event',
        doc: e.description ?? '',
      }));
      for (const name of [d.name, ...events.map((e) => e.type).filter((t) => t !== 'Event')]) {
        if (!exported.has(name))
          throw new Error(`jsx-types: ${name} (of <${d.tagName}>) is not exported from ${COMPONENTS_MODULE}`);
      }
      elements.push({ tag: d.tagName, className: d.name, summary: d.summary ?? '', props, events });
    }
  }
  if (elements.length === 0)
    throw new Error('jsx-types: custom-elements.json lists no element (run `npm run analyze`)');
  return elements.sort((a, b) => a.tag.localeCompare(b.tag));
}

const HEADER = '// Generated from custom-elements.json by scripts/jsx-types.ts (npm run build). Do not edit.\n';

/** dist/types/jsx.d.ts: framework-free prop and event maps. */
export function neutralTypes(elements: ElementInfo[]): string {
  const imports = [
    ...new Set(elements.flatMap((e) => [e.className, ...e.events.map((v) => v.type).filter((t) => t !== 'Event')])),
  ].sort();
  let out = `${HEADER}/** JSX types of the agentwire elements, framework-free: \`agentwire/jsx/react\` and \`agentwire/jsx/preact\` put them in those JSX namespaces. */\n`;
  out += `import type { ${imports.join(', ')} } from './components/index.js';\n\n`;
  out +=
    '/** `on<event>` handler props: React 19 and Preact add a listener for the event of exactly that name (`onapproval-settle`). */\n';
  out +=
    'export type EventProps<Events> = { [K in keyof Events & string as `on${K}`]?: (event: Events[K]) => void };\n';
  for (const e of elements) {
    const name = pascal(e.tag);
    out += `\n/** Settable properties and attributes of \`<${e.tag}>\`: ${e.summary} */\nexport interface ${name}Props {\n`;
    for (const p of e.props) out += `${doc(p.doc)}  ${quote(p.key)}?: ${e.className}['${p.field}'];\n`;
    out += `}\n\n/** Events of \`<${e.tag}>\`, by name. */\nexport interface ${name}Events {\n`;
    for (const v of e.events) out += `${doc(v.doc)}  ${quote(v.name)}: ${v.type};\n`;
    out += '}\n';
  }
  out +=
    '\n/** Every agentwire element by tag: its class, its settable props and its events. */\nexport interface AgentwireElements {\n';
  for (const e of elements) {
    const name = pascal(e.tag);
    out += `  '${e.tag}': { element: ${e.className}; props: ${name}Props; events: ${name}Events };\n`;
  }
  out += "}\n\n/** An element's own JSX props: its properties, attributes and `on<event>` handlers. */\n";
  out +=
    "export type AgentwireJsxProps<Tag extends keyof AgentwireElements> = AgentwireElements[Tag]['props'] & EventProps<AgentwireElements[Tag]['events']>;\n";
  return out;
}

/** dist/types/jsx-react.d.ts: the elements in React 19's JSX. */
export function reactTypes(elements: ElementInfo[]): string {
  let out = `${HEADER}/** The agentwire elements in React 19's JSX: \`import type {} from 'agentwire/jsx/react'\` (included by \`agentwire/react\`). */\n`;
  out +=
    "import type { DetailedHTMLProps, HTMLAttributes } from 'react';\nimport type { AgentwireElements, AgentwireJsxProps } from './jsx.js';\n\n";
  out +=
    "/** React props of an agentwire element: its own props and events over React's HTML attributes, `key` and `ref`. */\n";
  out +=
    "export type AgentwireReactProps<Tag extends keyof AgentwireElements> = Omit<\n  DetailedHTMLProps<HTMLAttributes<AgentwireElements[Tag]['element']>, AgentwireElements[Tag]['element']>,\n  keyof AgentwireJsxProps<Tag>\n> &\n  AgentwireJsxProps<Tag>;\n\n";
  out += "declare module 'react' {\n  namespace JSX {\n    interface IntrinsicElements {\n";
  for (const e of elements) out += `      '${e.tag}': AgentwireReactProps<'${e.tag}'>;\n`;
  return `${out}    }\n  }\n}\n`;
}

/** dist/types/jsx-preact.d.ts: the elements in Preact's JSX. */
export function preactTypes(elements: ElementInfo[]): string {
  let out = `${HEADER}/** The agentwire elements in Preact's JSX: \`import type {} from 'agentwire/jsx/preact'\`. */\n`;
  out +=
    "import type { HTMLAttributes } from 'preact';\nimport type { AgentwireElements, AgentwireJsxProps } from './jsx.js';\n\n";
  out += "/** Preact props of an agentwire element: its own props and events over Preact's HTML attributes. */\n";
  out +=
    "export type AgentwirePreactProps<Tag extends keyof AgentwireElements> = Omit<HTMLAttributes<AgentwireElements[Tag]['element']>, keyof AgentwireJsxProps<Tag>> &\n  AgentwireJsxProps<Tag>;\n\n";
  out += "declare module 'preact' {\n  namespace JSX {\n    interface IntrinsicElements {\n";
  for (const e of elements) out += `      '${e.tag}': AgentwirePreactProps<'${e.tag}'>;\n`;
  return `${out}    }\n  }\n}\n`;
}

/** dist/types/jsx-vue.d.ts: the elements as Vue components for vue-tsc (types only; Vue renders them as custom elements). */
export function vueTypes(): string {
  return `${HEADER}/**
 * The agentwire elements in Vue templates, for vue-tsc: \`import type {} from 'agentwire/jsx/vue'\`
 * (included by \`agentwire/vue\`). Each tag's properties and attributes (\`:run.prop\`, \`label\`) over
 * the HTML attributes, and its events (\`@approval-settle\`) with their event classes, as Vue's
 * guide types custom elements. Types only: Vue still renders the tags as custom elements
 * (\`compilerOptions.isCustomElement\`).
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { AgentwireElements } from './jsx.js';

/** Vue props of an agentwire element: its own props over Vue's HTML attributes. */
export type AgentwireVueProps<Tag extends keyof AgentwireElements> = Omit<HTMLAttributes, keyof AgentwireElements[Tag]['props']> & AgentwireElements[Tag]['props'] & PublicProps;
/** Vue's emit function over an element's events. */
type Emits<Events> = EmitFn<{ [Name in keyof Events]: (event: Events[Name]) => void }>;

/** A custom element as vue-tsc reads a component: the element, \`$props\` and \`$emit\` (template types only). */
export type AgentwireVueComponent<Tag extends keyof AgentwireElements> = new () => AgentwireElements[Tag]['element'] & {
  /** @deprecated Template type checking only: the element has no \`$props\`. */
  $props: AgentwireVueProps<Tag>;
  /** @deprecated Template type checking only: the element has no \`$emit\`. */
  $emit: Emits<AgentwireElements[Tag]['events']>;
};
/** Every agentwire element as vue-tsc reads a component. */
type AgentwireVueComponents = { [Tag in keyof AgentwireElements]: AgentwireVueComponent<Tag> };

declare module 'vue' {
  interface GlobalComponents extends AgentwireVueComponents {}
}
`;
}

/** dist/types/jsx-svelte.d.ts: the elements in Svelte markup, for svelte-check. */
export function svelteTypes(): string {
  return `${HEADER}/**
 * The agentwire elements in Svelte markup, for svelte-check: \`import type {} from 'agentwire/jsx/svelte'\`
 * (included by \`agentwire/svelte\`). Each tag's properties and attributes (\`{run}\`, \`label\`) and its
 * \`on<event>\` handlers (\`onapproval-settle\`), over the HTML attributes.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { AgentwireElements, AgentwireJsxProps } from './jsx.js';

/** Svelte attributes of an agentwire element: its own props and handlers over Svelte's HTML attributes. */
export type AgentwireSvelteProps<Tag extends keyof AgentwireElements> = Omit<HTMLAttributes<AgentwireElements[Tag]['element']>, keyof AgentwireJsxProps<Tag>> & AgentwireJsxProps<Tag>;
/** Every agentwire element's Svelte attributes, by tag. */
type AgentwireSvelteElements = { [Tag in keyof AgentwireElements]: AgentwireSvelteProps<Tag> };

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends AgentwireSvelteElements {}
}
`;
}

/** dist/types/<framework>.d.ts: the types of \`agentwire/<framework>\`, with the framework's template types along. */
export function entryTypes(framework: 'react' | 'vue' | 'svelte', summary: string): string {
  return `${HEADER}/// <reference path="./jsx-${framework}.d.ts" />\n/** ${summary} */\nexport * from './${framework}/index.js';\n`;
}

function main(): void {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as Manifest;
  const elements = readElements(manifest);
  mkdirSync(TYPES, { recursive: true });
  writeFileSync(join(TYPES, 'jsx.d.ts'), neutralTypes(elements));
  writeFileSync(join(TYPES, 'jsx-react.d.ts'), reactTypes(elements));
  writeFileSync(join(TYPES, 'jsx-preact.d.ts'), preactTypes(elements));
  writeFileSync(join(TYPES, 'jsx-vue.d.ts'), vueTypes());
  writeFileSync(join(TYPES, 'jsx-svelte.d.ts'), svelteTypes());
  writeFileSync(
    join(TYPES, 'react.d.ts'),
    entryTypes('react', "agentwire for React 19: the hooks, and the agentwire elements in React's JSX."),
  );
  writeFileSync(
    join(TYPES, 'vue.d.ts'),
    entryTypes('vue', 'agentwire for Vue 3: the composables, and the agentwire elements in Vue templates (vue-tsc).'),
  );
  writeFileSync(
    join(TYPES, 'svelte.d.ts'),
    entryTypes(
      'svelte',
      'agentwire for Svelte 5: the stores, and the agentwire elements in Svelte markup (svelte-check).',
    ),
  );
  // Runtime target of the types-only subpaths, so a stray `import 'agentwire/jsx'` loads nothing.
  writeFileSync(
    join(ROOT, 'dist/types-only.js'),
    '// agentwire/jsx and agentwire/jsx/<framework> are types only.\nexport {};\n',
  );
  process.stdout.write(
    `jsx-types: ${elements.map((e) => `<${e.tag}> ${e.props.length} props, ${e.events.length} events`).join('; ')}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
