// zod/mini's objects check each field through a generic loop; classic zod's compile a parser per
// shape. The offer catalogue (6,000 offers, 3.6 MB) spent most of its load time in that loop, so
// the API schemas use mini's objects with classic's compiled parser: the same behaviour and the
// same types as `z.object` / `z.looseObject`, at under half the cost (bench:
// offers_6000_build_ms). Where eval is not allowed, zod falls back to the generic loop by itself.
import * as z from 'zod/mini';
import * as core from 'zod/v4/core';

type WriteableShape<T> = { -readonly [K in keyof T]: T[K] };

// `init` is declared as an assertion function, which TypeScript only lets us call through an
// explicitly typed name.
type Init = (inst: z.ZodMiniObject, def: z.ZodMiniObject['_zod']['def']) => void;
const initCompiledObject: Init = (inst, def) => core.$ZodObjectJIT.init(inst, def);
const initMiniType: Init = (inst, def) => z.ZodMiniType.init(inst, def);
type InitType = (inst: z.ZodMiniType, def: z.ZodMiniType['_zod']['def']) => void;
const initAnyMiniType: InitType = (inst, def) => z.ZodMiniType.init(inst, def);

const CompiledMiniObject: core.$constructor<z.ZodMiniObject> = core.$constructor(
  'SpheronCompiledObject',
  (inst, def) => {
    initCompiledObject(inst, def);
    initMiniType(inst, def);
    // Installed once on the prototype: read through `self`, never through this closure's `def`.
    core.util.installLazyProp(inst, 'shape', (self: z.ZodMiniObject) => self._zod.def.shape, false);
  },
);

/** `z.object(shape)`, compiled: unknown extra fields are tolerated and dropped. */
export function object<T extends core.$ZodLooseShape>(
  shape: T,
): z.ZodMiniObject<WriteableShape<T>, core.$strip> {
  return new CompiledMiniObject({ type: 'object', shape }) as unknown as z.ZodMiniObject<
    WriteableShape<T>,
    core.$strip
  >;
}

/** `z.looseObject(shape)`, compiled: unknown extra fields are tolerated and kept. */
export function looseObject<T extends core.$ZodLooseShape>(
  shape: T,
): z.ZodMiniObject<WriteableShape<T>, core.$loose> {
  return new CompiledMiniObject({
    type: 'object',
    shape,
    catchall: z.unknown(),
  }) as unknown as z.ZodMiniObject<WriteableShape<T>, core.$loose>;
}

/**
 * A number the wire may send as a number or a numeric string (`"2.39"`), read in one step: the
 * catalogue has ~10 of these per offer, and `z.pipe(z.unknown(), z.transform(…))` runs two
 * schemas and a context object for each. `required`: anything unreadable is an issue; otherwise
 * it reads as `null` (unknown).
 */
type NumberLikeDef = core.$ZodTypeDef & { required: boolean; read: (value: unknown) => number | undefined };
const NumberLike: core.$constructor<z.ZodMiniType> = core.$constructor('SpheronNumberLike', (inst, def) => {
  const numberDef = def as NumberLikeDef;
  initAnyMiniType(inst, def);
  inst._zod.parse = (payload) => {
    const parsed = numberDef.read(payload.value);
    if (parsed !== undefined) {
      payload.value = parsed;
    } else if (numberDef.required) {
      payload.issues.push({ code: 'custom', message: 'expected a number', input: payload.value, inst });
    } else {
      payload.value = null;
    }
    return payload;
  };
});

export function numberLike(
  read: (value: unknown) => number | undefined,
  required: true,
): z.ZodMiniType<number, unknown>;
export function numberLike(
  read: (value: unknown) => number | undefined,
  required: false,
): z.ZodMiniType<number | null, unknown>;
export function numberLike(
  read: (value: unknown) => number | undefined,
  required: boolean,
): z.ZodMiniType<number | null, unknown> {
  const def: NumberLikeDef = { type: 'custom', required, read };
  return new NumberLike(def) as unknown as z.ZodMiniType<number | null, unknown>;
}
