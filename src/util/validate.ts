import {ReproError} from './errors';

/**
 * A small declarative checker for JSON read from files (run specs, stored results). Every
 * problem names the file and the dotted path of the field, what was found and what was expected;
 * unknown fields are errors, so a typo never silently changes what runs.
 */
export type Schema =
  | {kind: 'number'; integer?: boolean; min?: number; max?: number}
  | {kind: 'string'; oneOf?: readonly string[]}
  | {kind: 'boolean'}
  | {kind: 'array'; items: Schema; minItems?: number}
  | {kind: 'object'; fields: Readonly<Record<string, Field>>}
  | {kind: 'union'; tag: string; variants: Readonly<Record<string, Readonly<Record<string, Field>>>>};

export interface Field {
  readonly schema: Schema;
  readonly optional?: boolean;
}

export const req = (schema: Schema): Field => ({schema});
export const opt = (schema: Schema): Field => ({schema, optional: true});

function describe(schema: Schema): string {
  switch (schema.kind) {
    case 'number': return schema.integer ? 'an integer' : 'a number';
    case 'string': return schema.oneOf ? `one of ${schema.oneOf.map((s) => `"${s}"`).join(', ')}` : 'a string';
    case 'boolean': return 'true or false';
    case 'array': return 'an array';
    case 'object': return 'an object';
    case 'union': return `an object with "${schema.tag}" one of ${Object.keys(schema.variants).join(', ')}`;
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  // JSON numbers too large for a double (1e999) parse to Infinity, which JSON.stringify would show as null.
  if (typeof v === 'number' && !Number.isFinite(v)) return `the number ${v} (not finite: too large for a double)`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function fail(file: string, path: string, found: unknown, expected: string): never {
  throw new ReproError(`${file}: field "${path || '(top level)'}" is ${typeOf(found)}`,
    {expected, fix: `correct "${path}" in ${file}`});
}

function checkFields(value: unknown, fields: Readonly<Record<string, Field>>, file: string, path: string,
  skip?: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, path, value, 'an object');
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key === skip) continue;
    // Own fields only: `in` would accept "__proto__", "constructor" and "toString" from Object.prototype.
    if (!Object.hasOwn(fields, key)) {
      throw new ReproError(`${file}: unknown field "${path ? path + '.' : ''}${key}"`,
        {expected: `only the fields ${Object.keys(fields).concat(skip ? [skip] : []).join(', ')}`,
          fix: `remove or rename "${key}" in ${file}`});
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    const sub = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(obj, key) || obj[key] === undefined) {
      if (!field.optional) {
        throw new ReproError(`${file}: missing field "${sub}"`, {expected: describe(field.schema), fix: `add "${sub}" to ${file}`});
      }
      continue;
    }
    check(obj[key], field.schema, file, sub);
  }
}

/** Throws a ReproError at the first problem; returns normally when `value` matches `schema`. */
export function check(value: unknown, schema: Schema, file: string, path = ''): void {
  switch (schema.kind) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(file, path, value, describe(schema));
      if (schema.integer && !Number.isInteger(value)) fail(file, path, value, 'an integer');
      if (schema.min !== undefined && value < schema.min) fail(file, path, value, `a number ≥ ${schema.min}`);
      if (schema.max !== undefined && value > schema.max) fail(file, path, value, `a number ≤ ${schema.max}`);
      return;
    }
    case 'string':
      if (typeof value !== 'string' || (schema.oneOf && !schema.oneOf.includes(value))) {
        fail(file, path, value, describe(schema));
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(file, path, value, describe(schema));
      return;
    case 'array':
      if (!Array.isArray(value)) fail(file, path, value, describe(schema));
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        fail(file, path, value, `an array of at least ${schema.minItems} items`);
      }
      value.forEach((item, i) => check(item, schema.items, file, `${path}[${i}]`));
      return;
    case 'object':
      checkFields(value, schema.fields, file, path);
      return;
    case 'union': {
      const tag = typeof value === 'object' && value !== null && Object.hasOwn(value, schema.tag)
        ? (value as Record<string, unknown>)[schema.tag] : undefined;
      if (typeof tag !== 'string' || !Object.hasOwn(schema.variants, tag)) {
        fail(file, path ? `${path}.${schema.tag}` : schema.tag, tag, `one of ${Object.keys(schema.variants).join(', ')}`);
      }
      checkFields(value, schema.variants[tag], file, path, schema.tag);
      return;
    }
  }
}
