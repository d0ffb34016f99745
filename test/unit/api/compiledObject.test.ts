import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { looseObject, object } from '../../../src/core/api/compiledObject';

// Each compiled object must be a drop-in for its zod/mini twin: same values, same issues.
const optionalText = z.optional(z.nullable(z.string()));
function shapes<T extends typeof z.looseObject | typeof z.object>(make: T) {
  const inner = make({ units: z.optional(z.unknown()), label: optionalText });
  return make({
    id: z.string(),
    price: z.number(),
    note: optionalText,
    tags: z.optional(z.array(z.string())),
    extras: z.optional(z.nullable(inner)),
  });
}

const inputs: Record<string, unknown> = {
  'a full offer': { id: 'a', price: 1.5, note: 'n', tags: ['x'], extras: { units: 3, label: null } },
  'extra fields': { id: 'a', price: 2, unknownField: { deep: true }, extras: { more: 1 } },
  'optional fields absent or null': { id: 'a', price: 0, note: null, extras: null },
  'a required field missing': { price: 1 },
  'wrong types at several depths': { id: 7, price: '1', tags: ['x', 2], extras: { label: 5 } },
  'not an object': ['a'],
  null: null,
  'a __proto__ key in JSON': JSON.parse('{"id":"a","price":1,"__proto__":{"polluted":true}}') as unknown,
};

const variants = [
  { name: 'looseObject', compiled: shapes(looseObject), reference: shapes(z.looseObject) },
  { name: 'object', compiled: shapes(object), reference: shapes(z.object) },
];

for (const { name, compiled, reference } of variants) {
  describe(`compiled ${name}`, () => {
    for (const [inputName, input] of Object.entries(inputs)) {
      it(`parses ${inputName} exactly as z.${name} does`, () => {
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

    it('returns a new value, never the input, and pollutes no prototype', () => {
      const input = { id: 'a', price: 1, extras: { units: 1 } };
      const parsed = z.parse(compiled, input);
      assert.notEqual(parsed, input);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('exposes its own shape, like a mini object', () => {
      assert.deepEqual(Object.keys(compiled.shape), ['id', 'price', 'note', 'tags', 'extras']);
    });
  });
}

describe('compiled objects', () => {
  it('looseObject keeps unknown fields and object drops them', () => {
    const input = { id: 'a', price: 2, unknownField: 1 };
    assert.equal((z.parse(shapes(looseObject), input) as Record<string, unknown>).unknownField, 1);
    assert.equal('unknownField' in z.parse(shapes(object), input), false);
  });
});
