import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileSchema,
  humanize,
  readForm,
  validateValue,
  type FormReader,
  type SchemaField,
} from '../../src/components/approval-prompt/response-schema.ts';

const DEPLOY = {
  type: 'object',
  title: 'Deploy settings',
  required: ['environment', 'replicas'],
  properties: {
    environment: { type: 'string', enum: ['staging', 'production'], title: 'Environment' },
    replicas: { type: 'integer', minimum: 1, maximum: 10 },
    dry_run: { type: 'boolean', default: true },
    notes: { type: 'string', maxLength: 500, description: 'Anything the on-call team should know' },
    tags: { type: 'array', items: { type: 'string', maxLength: 12 }, maxItems: 3, uniqueItems: true },
    notify: { type: 'array', items: { enum: ['email', 'chat', 'pager'] } },
    owner: { type: 'string', format: 'email' },
    window: {
      type: 'object',
      properties: { start: { type: 'string', format: 'time' }, minutes: { type: 'number', exclusiveMinimum: 0 } },
    },
    speed: {
      oneOf: [
        { const: 'slow', title: 'Slowly' },
        { const: 'fast', title: 'Quickly' },
      ],
    },
  },
};

function compiled(schema: unknown): SchemaField {
  const result = compileSchema(schema);
  assert.ok(result.supported, result.supported ? '' : result.reason);
  return result.root;
}

function form(values: Record<string, string | string[]>): FormReader {
  return { getAll: (name) => [values[name] ?? []].flat() };
}

describe('response_schema forms', () => {
  it('compiles the supported subset into fields with labels, rules and defaults', () => {
    const root = compiled(DEPLOY);
    if (root.kind !== 'group') throw new Error(`a group, not ${root.kind}`);
    const fields = new Map(root.fields.map((f) => [f.path.at(-1)!, f]));
    const byKey = (key: string): SchemaField => fields.get(key)!;
    assert.equal(root.label, 'Deploy settings');
    assert.deepEqual(
      root.fields.map((f) => [f.path.join('.'), f.kind, f.required]),
      [
        ['environment', 'choice', true],
        ['replicas', 'number', true],
        ['dry_run', 'boolean', false],
        ['notes', 'text', false],
        ['tags', 'list', false],
        ['notify', 'list', false],
        ['owner', 'text', false],
        ['window', 'group', false],
        ['speed', 'choice', false],
      ],
    );
    assert.equal(byKey('dry_run').label, 'Dry run');
    const dryRun = byKey('dry_run');
    const notes = byKey('notes');
    const speed = byKey('speed');
    assert.equal(dryRun.kind === 'boolean' && dryRun.default, true);
    assert.equal(notes.kind === 'text' && notes.multiline, true);
    assert.equal(notes.description, 'Anything the on-call team should know');
    assert.deepEqual(speed.kind === 'choice' && speed.options, [
      { value: 'slow', label: 'Slowly' },
      { value: 'fast', label: 'Quickly' },
    ]);
    assert.equal(byKey('replicas').name, 'answer.replicas');
    assert.equal(humanize('maxRetries'), 'Max retries');
  });

  it('reads a filled form into the JSON value, leaving out empty optional fields', () => {
    const root = compiled(DEPLOY);
    const { value, errors } = readForm(
      root,
      form({
        'answer.environment': '1',
        'answer.replicas': '3',
        'answer.dry_run': [],
        'answer.tags': 'api\n  web \n\n',
        'answer.notify': ['email', 'pager'],
        'answer.window.minutes': '15',
        'answer.speed': '0',
      }),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(value, {
      environment: 'production',
      replicas: 3,
      dry_run: false,
      tags: ['api', 'web'],
      notify: ['email', 'pager'],
      window: { minutes: 15 },
      speed: 'slow',
    });
    assert.deepEqual(validateValue(root, value), [], 'what the form reads is valid');
  });

  it('gives one message per field that is not right', () => {
    const root = compiled(DEPLOY);
    const { errors } = readForm(
      root,
      form({
        'answer.replicas': '11',
        'answer.tags': 'a\na\nb\nc',
        'answer.owner': 'not-an-address',
        'answer.window.start': '25 o’clock',
        'answer.window.minutes': '0',
      }),
    );
    assert.deepEqual(errors, [
      { name: 'answer.environment', message: 'Choose one.' },
      { name: 'answer.replicas', message: 'Must be at most 10.' },
      { name: 'answer.tags', message: 'Use at most 3 items.' },
      { name: 'answer.owner', message: 'Enter an email address.' },
      { name: 'answer.window.start', message: 'Enter a time (HH:MM).' },
      { name: 'answer.window.minutes', message: 'Must be more than 0.' },
    ]);
    assert.deepEqual(readForm(root, form({ 'answer.environment': '0', 'answer.replicas': '2.5' })).errors, [
      { name: 'answer.replicas', message: 'Enter a whole number.' },
    ]);
    assert.deepEqual(
      readForm(root, form({ 'answer.environment': '0', 'answer.replicas': 'x', 'answer.tags': 'a\na' })).errors,
      [
        { name: 'answer.replicas', message: 'Enter a whole number.' },
        { name: 'answer.tags', message: 'Each item only once.' },
      ],
    );
  });

  it('validates strings: length in characters (not UTF-16 units), pattern, formats', () => {
    const root = compiled({ type: 'string', minLength: 2, maxLength: 3, pattern: '^[a-z🙂]+$' });
    assert.deepEqual(validateValue(root, '🙂🙂'), []);
    assert.deepEqual(validateValue(root, 'a'), [{ name: 'root', message: 'Use at least 2 characters.' }]);
    assert.deepEqual(validateValue(root, 'abcd'), [{ name: 'root', message: 'Use at most 3 characters.' }]);
    assert.deepEqual(validateValue(root, 'AB'), [{ name: 'root', message: 'Not in the expected form.' }]);
    assert.deepEqual(validateValue(root, undefined), [{ name: 'root', message: 'Required.' }]);
    const url = compiled({ type: 'string', format: 'uri' });
    assert.deepEqual(validateValue(url, 'https://example.com/x'), []);
    assert.equal(validateValue(url, 'example')[0]?.message, 'Enter a full address (https://…).');
    const date = compiled({ type: 'string', format: 'date' });
    assert.deepEqual(validateValue(date, '2030-02-01'), []);
    assert.equal(validateValue(date, '1 Feb')[0]?.message, 'Enter a date (YYYY-MM-DD).');
  });

  it('validates numbers: bounds, exclusive bounds, multiples (with float tolerance)', () => {
    const root = compiled({ type: 'number', minimum: 0, maximum: 1, multipleOf: 0.1 });
    assert.deepEqual(validateValue(root, 0.3), []);
    assert.equal(validateValue(root, 0.35)[0]?.message, 'Must be a multiple of 0.1.');
    assert.equal(validateValue(root, -1)[0]?.message, 'Must be at least 0.');
    assert.equal(validateValue(root, 'x')[0]?.message, 'Enter a number.');
  });

  it('validates nested objects and required properties', () => {
    const root = compiled(DEPLOY);
    assert.deepEqual(validateValue(root, { environment: 'staging' }), [
      { name: 'answer.replicas', message: 'Required.' },
    ]);
    assert.deepEqual(validateValue(root, { environment: 'dev', replicas: 1, window: { minutes: -1 } }), [
      { name: 'answer.environment', message: 'Choose one of the offered answers.' },
      { name: 'answer.window.minutes', message: 'Must be more than 0.' },
    ]);
    assert.deepEqual(validateValue(root, 'text'), [{ name: 'root', message: 'Expected an object.' }]);
  });

  it('reports what it cannot offer as a form, with the reason', () => {
    const cases: [unknown, RegExp][] = [
      [{ $ref: '#/defs/x' }, /\$ref/],
      [{ type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } }, /other than strings/],
      [{ type: 'object' }, /without properties/],
      [{}, /anything/],
      [true, /anything/],
      [{ type: ['string', 'number'] }, /several types/],
      [{ type: 'string', pattern: '(' }, /pattern/],
      [{ enum: [{ a: 1 }] }, /enum/],
    ];
    for (const [schema, reason] of cases) {
      const result = compileSchema(schema);
      if (result.supported) assert.fail(`${JSON.stringify(schema)} compiled`);
      assert.match(result.reason, reason);
    }
    assert.equal(compileSchema({ type: ['string', 'null'] }).supported, true, 'nullable is optional, not a union');
  });

  it('keeps a "__proto__" property an own property of the answer', () => {
    const root = compiled({ type: 'object', properties: { ['__proto__']: { type: 'string' } } });
    const { value } = readForm(root, form({ 'answer.__proto__': 'x' }));
    assert.deepEqual(Object.keys(value as object), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });
});
