/**
 * A request's `response_schema` (JSON Schema) as a form: the subset a person can fill in —
 * strings (with length, pattern and a few formats), enums (and `oneOf`/`anyOf` of titled
 * `const`s) as choices, booleans, numbers and integers with bounds, arrays of strings, objects of
 * these (nested) — compiled to fields, read back from the form, and validated with one message
 * per field. Anything else (`$ref`, arrays of objects, tuples, …) is reported as unsupported, and
 * the prompt falls back to a JSON text field. No DOM: tested in Node.
 *
 * Hand-written rather than a validator library: the form needs the same walk of the schema to lay
 * out its fields and to word a message per field for people, it covers a deliberately small subset,
 * and it weighs about 1.5 KiB min+gzip (a full validator such as @cfworker/json-schema is several
 * times that). The server still validates the answer it receives.
 */

/** A value a choice stands for. */
export type ChoiceValue = string | number | boolean | null;

/** One offered choice. */
export interface Choice {
  readonly value: ChoiceValue;
  readonly label: string;
}

/** String constraints (of a text field or of a list's items). */
export interface TextRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A regular expression (JSON Schema `pattern`, unanchored). */
  readonly pattern?: string;
  /** `email`, `uri`, `date`, `date-time`, `time` are checked; other formats are shown only. */
  readonly format?: string;
}

interface FieldBase {
  /** Property names from the root (empty for a root that is not an object). */
  readonly path: readonly string[];
  /** The control's name (unique in the form). */
  readonly name: string;
  readonly label: string;
  readonly description: string | null;
  readonly required: boolean;
}

/** A form field compiled from a schema. */
export type SchemaField =
  | (FieldBase & TextRules & { readonly kind: 'text'; readonly multiline: boolean; readonly default?: string })
  | (FieldBase & { readonly kind: 'choice'; readonly options: readonly Choice[]; readonly default?: ChoiceValue })
  | (FieldBase & { readonly kind: 'boolean'; readonly default?: boolean })
  | (FieldBase & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly minimum?: number;
      readonly maximum?: number;
      readonly exclusiveMinimum?: number;
      readonly exclusiveMaximum?: number;
      readonly multipleOf?: number;
      readonly default?: number;
    })
  | (FieldBase & {
      readonly kind: 'list';
      /** Rules of each item (text), or its choices (an enum of strings: checkboxes). */
      readonly item: TextRules & { readonly options?: readonly Choice[] };
      readonly minItems?: number;
      readonly maxItems?: number;
      readonly uniqueItems: boolean;
      readonly default?: readonly string[];
    })
  | (FieldBase & { readonly kind: 'group'; readonly fields: readonly SchemaField[] });

/** What a schema compiles to: a form, or why it cannot be one. */
export type CompiledSchema =
  { readonly supported: true; readonly root: SchemaField } | { readonly supported: false; readonly reason: string };

/** A problem with one field, for people. */
export interface FieldError {
  /** The field's control name ('' for the whole answer). */
  readonly name: string;
  readonly message: string;
}

/** What a form holds: the controls' values by name (a name may have several: a list, checkboxes). */
export interface FormReader {
  /** Every value submitted under `name` (text of inputs, values of checked boxes, the selected option). */
  getAll(name: string): string[];
}

/** Nesting deeper than this is not offered as a form. */
const MAX_DEPTH = 4;
/** Strings allowed this long or longer get a multi-line field. */
const MULTILINE_FROM = 200;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** "dry_run" → "Dry run", "maxRetries" → "Max retries". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? key : words[0]!.toUpperCase() + words.slice(1);
}

/** The control name of a path: unique, and readable in tests ("root", "answer.tags"). */
export function nameOf(path: readonly string[]): string {
  return path.length === 0 ? 'root' : `answer.${path.map((p) => p.replace(/[.\\]/g, '\\$&')).join('.')}`;
}

class Unsupported extends Error {}

/** The types a schema allows, without `null` (a nullable field is an optional one). */
function typesOf(schema: Json): string[] {
  const type = schema['type'];
  const list = Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [type];
  return list.filter((t): t is string => typeof t === 'string' && t !== 'null');
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function choicesOf(schema: Json): Choice[] | null {
  const enumeration = schema['enum'];
  if (Array.isArray(enumeration)) {
    const options = enumeration.filter(
      (v): v is ChoiceValue => v === null || ['string', 'number', 'boolean'].includes(typeof v),
    );
    if (options.length !== enumeration.length || options.length === 0) throw new Unsupported('enum of non-scalars');
    return options.map((value) => ({ value, label: String(value) }));
  }
  const alternatives = schema['oneOf'] ?? schema['anyOf'];
  if (Array.isArray(alternatives)) {
    const options = alternatives.map((alt): Choice => {
      if (!isObject(alt) || !('const' in alt)) throw new Unsupported('oneOf / anyOf other than titled consts');
      const value = alt['const'];
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
        throw new Unsupported('a const that is not a scalar');
      return { value: value as ChoiceValue, label: text(alt['title']) ?? String(value) };
    });
    if (options.length === 0) throw new Unsupported('empty oneOf');
    return options;
  }
  if ('const' in schema) {
    const value = schema['const'];
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw new Unsupported('const');
    return [{ value: value as ChoiceValue, label: text(schema['title']) ?? String(value) }];
  }
  return null;
}

function textRules(schema: Json): TextRules {
  const rules: { -readonly [K in keyof TextRules]: TextRules[K] } = {};
  const minLength = num(schema['minLength']);
  const maxLength = num(schema['maxLength']);
  const pattern = text(schema['pattern']);
  const format = text(schema['format']);
  if (minLength !== undefined) rules.minLength = minLength;
  if (maxLength !== undefined) rules.maxLength = maxLength;
  if (pattern !== undefined) {
    try {
      new RegExp(pattern, 'u');
    } catch {
      throw new Unsupported(`a pattern this browser cannot read: ${pattern}`);
    }
    rules.pattern = pattern;
  }
  if (format !== undefined) rules.format = format;
  return rules;
}

function compileField(schema: unknown, path: string[], required: boolean, depth: number): SchemaField {
  if (schema === true || (isObject(schema) && Object.keys(schema).length === 0))
    throw new Unsupported('a schema that allows anything');
  if (!isObject(schema)) throw new Unsupported('a schema that is not an object');
  for (const keyword of ['$ref', 'allOf', 'not', 'if', 'patternProperties', 'prefixItems'])
    if (keyword in schema) throw new Unsupported(`"${keyword}"`);
  const key = path.at(-1);
  const base: FieldBase = {
    path,
    name: nameOf(path),
    label: text(schema['title']) ?? (key === undefined ? 'Answer' : humanize(key)),
    description: text(schema['description']) ?? null,
    required,
  };
  const choices = choicesOf(schema);
  if (choices) {
    const fallback = schema['default'];
    const known = choices.some((c) => c.value === fallback);
    return { ...base, kind: 'choice', options: choices, ...(known && { default: fallback as ChoiceValue }) };
  }
  const types = typesOf(schema);
  if (types.length !== 1) throw new Unsupported(types.length === 0 ? 'a schema without a type' : 'several types');
  const type = types[0]!;
  switch (type) {
    case 'string': {
      const rules = textRules(schema);
      const fallback = text(schema['default']);
      return {
        ...base,
        ...rules,
        kind: 'text',
        multiline: (rules.maxLength ?? Infinity) >= MULTILINE_FROM && rules.format === undefined,
        ...(fallback !== undefined && { default: fallback }),
      };
    }
    case 'boolean': {
      const fallback = schema['default'];
      return { ...base, kind: 'boolean', ...(typeof fallback === 'boolean' && { default: fallback }) };
    }
    case 'number':
    case 'integer': {
      const field: { -readonly [K in keyof Extract<SchemaField, { kind: 'number' }>]: unknown } = {
        ...base,
        kind: 'number',
        integer: type === 'integer',
      };
      for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'default']) {
        const value = num(schema[keyword]);
        if (value !== undefined) field[keyword as 'minimum'] = value;
      }
      return field as SchemaField;
    }
    case 'array': {
      const items = schema['items'];
      if (!isObject(items)) throw new Unsupported('an array without one item schema');
      const options = choicesOf(items);
      if (!options && (typesOf(items).length !== 1 || typesOf(items)[0] !== 'string'))
        throw new Unsupported('an array of something other than strings');
      if (options?.some((o) => typeof o.value !== 'string')) throw new Unsupported('an array of non-string choices');
      const fallback = schema['default'];
      const field = {
        ...base,
        kind: 'list' as const,
        item: { ...textRules(items), ...(options && { options }) },
        uniqueItems: schema['uniqueItems'] === true,
        ...(num(schema['minItems']) !== undefined && { minItems: num(schema['minItems']) }),
        ...(num(schema['maxItems']) !== undefined && { maxItems: num(schema['maxItems']) }),
        ...(Array.isArray(fallback) &&
          fallback.every((v): v is string => typeof v === 'string') && { default: fallback }),
      };
      return field;
    }
    case 'object': {
      if (depth >= MAX_DEPTH) throw new Unsupported('objects nested too deep');
      const properties = schema['properties'];
      if (!isObject(properties) || Object.keys(properties).length === 0)
        throw new Unsupported('an object without properties');
      const requiredKeys = Array.isArray(schema['required'])
        ? schema['required'].filter((k) => typeof k === 'string')
        : [];
      const fields = Object.entries(properties).map(([name, sub]) =>
        compileField(sub, [...path, name], requiredKeys.includes(name), depth + 1),
      );
      return { ...base, kind: 'group', fields };
    }
    default:
      throw new Unsupported(`type "${type}"`);
  }
}

/** Compile a `response_schema` into form fields, or say why it cannot be a form. */
export function compileSchema(schema: unknown): CompiledSchema {
  try {
    return { supported: true, root: compileField(schema, [], true, 0) };
  } catch (error) {
    if (error instanceof Unsupported) return { supported: false, reason: error.message };
    throw error;
  }
}

/** Read the answer from a form: its JSON value (what the controls hold), and one error per field that is not right. */
export function readForm(root: SchemaField, form: FormReader): { value: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const value = readField(root, form, errors);
  return { value: value === ABSENT ? undefined : value, errors };
}

/** A field left empty (or not right): left out of the answer. */
const ABSENT: unique symbol = Symbol('absent');

function readField(field: SchemaField, form: FormReader, errors: FieldError[]): unknown {
  const first = (form.getAll(field.name)[0] ?? '').trim();
  const fail = (message: string): typeof ABSENT => {
    errors.push({ name: field.name, message });
    return ABSENT;
  };
  switch (field.kind) {
    case 'group': {
      const out: Record<string, unknown> = {};
      for (const sub of field.fields) {
        const item = readField(sub, form, errors);
        if (item !== ABSENT) Object.defineProperty(out, sub.path.at(-1)!, enumerableValue(item));
      }
      return out;
    }
    case 'boolean':
      return form.getAll(field.name).includes('true');
    case 'list': {
      const raw = field.item.options
        ? form.getAll(field.name)
        : form
            .getAll(field.name)
            .flatMap((block) => block.split('\n'))
            .map((line) => line.trim())
            .filter((line) => line !== '');
      const message = checkValue(field, raw);
      return message ? fail(message) : raw;
    }
    case 'choice': {
      if (first === '') return field.required ? fail('Choose one.') : ABSENT;
      const option = field.options[Number(first)];
      return option === undefined ? fail('Choose one of the offered answers.') : option.value;
    }
    case 'number': {
      if (first === '') return field.required ? fail('Required.') : ABSENT;
      const value = Number(first);
      if (!Number.isFinite(value)) return fail(field.integer ? 'Enter a whole number.' : 'Enter a number.');
      const message = checkValue(field, value);
      return message ? fail(message) : value;
    }
    case 'text': {
      const raw = form.getAll(field.name)[0] ?? '';
      if (raw.trim() === '') return field.required ? fail('Required.') : ABSENT;
      const message = checkValue(field, raw);
      return message ? fail(message) : raw;
    }
  }
}

const enumerableValue = (value: unknown): PropertyDescriptor => ({
  value,
  enumerable: true,
  writable: true,
  configurable: true,
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:\d{2})?$/;

/** Length in code points, as JSON Schema counts it (a UTF-16 surrogate pair is one character). */
const chars = (value: string): number => value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function checkText(rules: TextRules, value: string, what = ''): string | null {
  if (rules.minLength !== undefined && chars(value) < rules.minLength)
    return `${what}Use at least ${plural(rules.minLength, 'character')}.`;
  if (rules.maxLength !== undefined && chars(value) > rules.maxLength)
    return `${what}Use at most ${plural(rules.maxLength, 'character')}.`;
  if (rules.pattern !== undefined && !new RegExp(rules.pattern, 'u').test(value))
    return `${what}Not in the expected form.`;
  switch (rules.format) {
    case 'email':
      return EMAIL.test(value) ? null : `${what}Enter an email address.`;
    case 'uri':
    case 'url':
      return URL.canParse(value) ? null : `${what}Enter a full address (https://…).`;
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : `${what}Enter a date (YYYY-MM-DD).`;
    case 'date-time':
      return Number.isNaN(Date.parse(value)) ? `${what}Enter a date and time.` : null;
    case 'time':
      return TIME.test(value) ? null : `${what}Enter a time (HH:MM).`;
    default:
      return null;
  }
}

/** Why `value` does not satisfy one field (its own constraints, not its children's), or null. */
function checkValue(field: SchemaField, value: unknown): string | null {
  switch (field.kind) {
    case 'text':
      return typeof value !== 'string' ? 'Enter text.' : checkText(field, value);
    case 'choice':
      return field.options.some((o) => o.value === value) ? null : 'Choose one of the offered answers.';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Yes or no.';
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
      if (field.integer && !Number.isInteger(value)) return 'Enter a whole number.';
      if (field.minimum !== undefined && value < field.minimum) return `Must be at least ${field.minimum}.`;
      if (field.maximum !== undefined && value > field.maximum) return `Must be at most ${field.maximum}.`;
      if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum)
        return `Must be more than ${field.exclusiveMinimum}.`;
      if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum)
        return `Must be less than ${field.exclusiveMaximum}.`;
      if (field.multipleOf !== undefined && field.multipleOf > 0) {
        const ratio = value / field.multipleOf;
        if (Math.abs(ratio - Math.round(ratio)) > 1e-9) return `Must be a multiple of ${field.multipleOf}.`;
      }
      return null;
    }
    case 'list': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return 'Enter a list of texts.';
      const items = value as string[];
      if (field.required && items.length === 0 && (field.minItems ?? 1) > 0) return 'Add at least one.';
      if (field.minItems !== undefined && items.length < field.minItems)
        return `Add at least ${plural(field.minItems, 'item')}.`;
      if (field.maxItems !== undefined && items.length > field.maxItems)
        return `Use at most ${plural(field.maxItems, 'item')}.`;
      if (field.uniqueItems && new Set(items).size !== items.length) return 'Each item only once.';
      const options = field.item.options;
      for (const item of items) {
        if (options && !options.some((o) => o.value === item)) return `“${item}” is not one of the choices.`;
        const message = options ? null : checkText(field.item, item, `“${item}”: `);
        if (message) return message;
      }
      return null;
    }
    case 'group':
      return isObject(value) ? null : 'Expected an object.';
  }
}

/** Validate a JSON value against a compiled schema: one error per field that is not right (empty when it is). */
export function validateValue(root: SchemaField, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (field: SchemaField, item: unknown, present: boolean): void => {
    if (!present) {
      if (field.required) errors.push({ name: field.name, message: 'Required.' });
      return;
    }
    const message = checkValue(field, item);
    if (message) {
      errors.push({ name: field.name, message });
      return;
    }
    if (field.kind === 'group') {
      const object = item as Json;
      for (const sub of field.fields) {
        const key = sub.path.at(-1)!;
        walk(sub, object[key], Object.hasOwn(object, key));
      }
    }
  };
  walk(root, value, value !== undefined);
  return errors;
}
