/**
 * fast-check arbitraries from the JSON Schemas of the API (the same zod schemas the server validates with,
 * as `z.toJSONSchema` writes them, and the MCP tools' `inputSchema`). Values mostly follow the schema, so the
 * fuzzer reaches the engine, and are sometimes bent (wrong type, missing or extra field, out-of-range number)
 * so that validation is fuzzed too; strings mix ordinary text with the pathological inputs of issue 12.
 */
import fc from 'fast-check';

type Schema = Record<string, unknown>;

const LONG = 32_000;

/** Strings that broke or could break a text pipeline: long words, controls, bidi, surrogates, deep-looking JSON. */
export const pathologicalString: fc.Arbitrary<string> = fc.oneof(
  fc.constant('a'.repeat(LONG)),
  fc.constant('A'.repeat(LONG - 1)),
  fc.constant('ing'.repeat(Math.floor(LONG / 3))),
  fc.constant('a.'.repeat(LONG / 2)),
  fc.constant('1,'.repeat(LONG / 2)),
  fc.constant("a'".repeat(LONG / 2)),
  fc.constant('May 7 '.repeat(2000)),
  fc.constant('猫'.repeat(4000)),
  fc.constant('上周'.repeat(2000)),
  fc.constant('\u001b[31mred\u001b[0m \u001b]52;c;ZXZpbA==\u0007 \u202Eevil\u202C \r\n\t\u0000'),
  fc.constant('\uD800 lone \uDC00'),
  fc.constant('"; DROP TABLE memories; --'),
  fc.constant('NEAR(a b) OR "x" AND y* ^z -w'),
  fc.constant('['.repeat(500) + ']'.repeat(500)),
  fc.constant(' '.repeat(1000)),
  fc.constant('2024-02-30'),
  fc.constant('1'),
);

const plainString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('alice', 'bob', 'u', 'fact', 'note', 'turn', 'summary', '2024-05-01'),
  },
  { weight: 1, arbitrary: pathologicalString },
);

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'date-time' || /ISO 8601/.test(String(s.description ?? ''))) {
    return fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      plainString,
    );
  }
  if (typeof s.pattern === 'string') {
    return fc.oneof(fc.stringMatching(new RegExp(s.pattern)), plainString);
  }
  return plainString;
}

/** A value of the schema, or near it. `defs` resolves `$ref`s. */
export function arbitraryFor(schema: Schema, defs: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return arbitraryFor(defs[name] ?? {}, defs, depth);
  }
  const bent = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null), fc.constant(''), fc.constant(-1));
  const exact = exactFor(schema, defs, depth);
  return depth === 0 ? exact : fc.oneof({ weight: 12, arbitrary: exact }, { weight: 1, arbitrary: bent });
}

function exactFor(schema: Schema, defs: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map((s) => arbitraryFor(s, defs, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer': {
      const min = (schema.minimum as number | undefined) ?? -1000;
      const max = (schema.maximum as number | undefined) ?? 1_000_000;
      return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min, max }) },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e9, 2 ** 53, max + 1) },
      );
    }
    case 'number':
      return fc.oneof(
        { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(-0.5, 2, 1e308) },
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const max = Math.min((schema.maxItems as number | undefined) ?? 4, 4);
      return fc.array(arbitraryFor(items, defs, depth + 1), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.max(max, (schema.minItems as number | undefined) ?? 0),
      });
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      if (Object.keys(props).length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
      const required = new Set((schema.required ?? []) as string[]);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) shape[k] = arbitraryFor(s, defs, depth + 1);
      const optional = Object.keys(props).filter((k) => !required.has(k));
      const record = fc.record(shape, { requiredKeys: [...required].filter((k) => k in props) as never[] });
      return fc.oneof(
        { weight: 10, arbitrary: record },
        // An unknown field, or a required one missing.
        { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), tenant: 'other' })) },
        {
          weight: 1,
          arbitrary: record.map((r) => {
            const copy = { ...(r as Record<string, unknown>) };
            delete copy[[...required][0] ?? optional[0] ?? ''];
            return copy;
          }),
        },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** The schema's own definitions, for `$ref` resolution. */
export function defsOf(schema: Schema): Record<string, Schema> {
  return (schema.$defs ?? {}) as Record<string, Schema>;
}
