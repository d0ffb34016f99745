import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { looseObject } from '../../../src/core/api/looseObject';

// The compiled object must be a drop-in for z.looseObject: same values, same issues.
const optionalText = z.optional(z.nullable(z.string()));
function shapes<T extends typeof z.looseObject>(make: T) {
  const inner = make({ units: z.optional(z.unknown()), label: optionalText });
  return make({
    id: z.string(),
    price: z.number(),
    note: optionalText,
    tags: z.optional(z.array(z.string())),
    extras: z.optional(z.nullable(inner)),
  });
}
const compiled = shapes(looseObject);
const reference = shapes(z.looseObject);

const inputs: Record<string, unknown> = {
  'a full offer': { id: 'a', price: 1.5, note: 'n', tags: ['x'], extras: { units: 3, label: null } },
  'extra fields, kept': { id: 'a', price: 2, unknownField: { deep: true }, extras: { more: 1 } },
  'optional fields absent or null': { id: 'a', price: 0, note: null, extras: null },
  'a required field missing': { price: 1 },
  'wrong types at several depths': { id: 7, price: '1', tags: ['x', 2], extras: { label: 5 } },
  'not an object': ['a'],
  null: null,
  'a __proto__ key in JSON': JSON.parse('{"id":"a","price":1,"__proto__":{"polluted":true}}') as unknown,
};

describe('looseObject (compiled zod/mini object)', () => {
  for (const [name, input] of Object.entries(inputs)) {
    it(`parses ${name} exactly as z.looseObject does`, () => {
      const actual = z.safeParse(compiled, input);
      const expected = z.safeParse(reference, input);
      assert.equal(actual.success, expected.success);
      if (expected.success) {
        assert.deepEqual(actual.data, expected.data);
      } else {
        assert.deepEqual(
          actual.error?.issues.map(({ code, path, message }) => ({ code, path, message })),
          expected.error.issues.map(({ code, path, message }) => ({ code, path, message })),
        );
      }
    });
  }

  it('does not share the parsed value with the input', () => {
    const input = { id: 'a', price: 1, extras: { units: 1 } };
    const parsed = z.parse(compiled, input);
    assert.notEqual(parsed, input);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('exposes its shape like a mini object', () => {
    assert.deepEqual(Object.keys(compiled.shape), ['id', 'price', 'note', 'tags', 'extras']);
  });
});
