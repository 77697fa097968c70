import { FunctionError, fn, type FunctionMap } from '../core/function-def';
import { sprintf } from '../core/go-format';
import { GoInt64, GoUint, goTypeName, intValue, type GoValue } from '../core/go-value';

/**
 * consul-template's math helpers. Argument order is Go's `func add(b, a)`: the piped
 * value is the left operand, so `{{ 10 | subtract 3 }}` is 7. Integer results are int64
 * (uint64 when both sides are unsigned) and wrap at 64 bits.
 */
type Num = { kind: 'int'; v: bigint } | { kind: 'uint'; v: bigint } | { kind: 'float'; v: number };

function num(name: string, x: GoValue): Num {
  const i = intValue(x);
  if (i !== undefined) return { kind: 'int', v: i };
  if (x instanceof GoUint) return { kind: 'uint', v: x.value };
  if (typeof x === 'number') return { kind: 'float', v: x };
  // fmt.Errorf("%s: unknown type for %q (%T)", reflect.ValueOf(a), a)
  const shown = x === null || x === undefined ? '<invalid reflect.Value>' : sprintf('%q', [x]);
  throw new FunctionError(`${name}: unknown type for ${shown} (${x === null || x === undefined ? '<nil>' : goTypeName(x)})`);
}

const i64 = (v: bigint): GoInt64 => new GoInt64(BigInt.asIntN(64, v));
const u64 = (v: bigint): GoUint => new GoUint(BigInt.asUintN(64, v));

function arith(name: string, op: (x: bigint, y: bigint) => bigint, fop: ((x: number, y: number) => number) | undefined) {
  return fn(['any', 'any'], ([b, a]) => {
    const av = num(name, a);
    const bv = num(name, b);
    if (av.kind === 'float' || bv.kind === 'float') {
      if (!fop) throw new FunctionError(`${name}: unknown type for ${av.kind === 'float' ? 'a' : 'b'}`);
      return fop(Number(av.v), Number(bv.v));
    }
    if (av.kind === 'uint' && bv.kind === 'uint') return u64(op(av.v, bv.v));
    return i64(op(av.v, bv.v));
  });
}

function pick(name: string, wantLess: boolean) {
  return fn(['any', 'any'], ([b, a]) => {
    const av = num(name, a);
    const bv = num(name, b);
    const less = Number(av.v) < Number(bv.v) || (av.kind !== 'float' && bv.kind !== 'float' && (av.v as bigint) < (bv.v as bigint));
    const greater = Number(av.v) > Number(bv.v) || (av.kind !== 'float' && bv.kind !== 'float' && (av.v as bigint) > (bv.v as bigint));
    const chooseA = wantLess ? less : greater;
    const chosen = chooseA ? av : bv;
    // The winner keeps its own type (int64, uint64 or float64), as in funcs.go.
    if (chosen.kind === 'float') return chosen.v;
    return chosen.kind === 'uint' ? new GoUint(chosen.v as bigint) : new GoInt64(chosen.v as bigint);
  });
}

export const mathFunctions: FunctionMap = {
  add: arith('add', (x, y) => x + y, (x, y) => x + y),
  subtract: arith('subtract', (x, y) => x - y, (x, y) => x - y),
  multiply: arith('multiply', (x, y) => x * y, (x, y) => x * y),
  divide: arith(
    'divide',
    (x, y) => {
      if (y === 0n) throw new FunctionError('runtime error: integer divide by zero');
      return x / y;
    },
    (x, y) => x / y,
  ),
  modulo: arith(
    'modulo',
    (x, y) => {
      if (y === 0n) throw new FunctionError('runtime error: integer divide by zero');
      return x % y;
    },
    undefined,
  ),
  minimum: pick('minimum', true),
  maximum: pick('maximum', false),
};
