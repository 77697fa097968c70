import { FunctionError, fn, type FunctionMap } from '../core/function-def';
import { GoObject, compareGoStrings, isMap, mapElem, nilSlice, typedSlice, type GoMap, type GoValue } from '../core/go-value';

/**
 * consul-template's `scratch` (template/scratch.go): a per-render key/value store with
 * Key, Get, Set, SetX, MapSet, MapSetX and MapValues. Each render starts empty, as each
 * Execute in the agent builds a fresh function map.
 */
function newScratch(): GoObject {
  const values = new Map<string, GoValue>();
  const s = (v: GoValue): string => v as string;
  const mapSet = (k: string, mk: string, v: GoValue, overwrite: boolean): string => {
    if (!values.has(k)) values.set(k, {});
    const typed = values.get(k);
    if (!isMap(typed ?? null) || mapElem(typed as GoMap) !== 'interface') throw new FunctionError(`"${k}" is not a map`);
    const m = typed as GoMap;
    if (overwrite || !Object.prototype.hasOwnProperty.call(m, mk)) m[mk] = v;
    return '';
  };
  return new GoObject('*template.Scratch', {
    Key: fn(['string'], ([k]) => values.has(s(k))),
    Get: fn(['string'], ([k]) => (values.has(s(k)) ? (values.get(s(k)) ?? null) : undefined)),
    Set: fn(['string', 'any'], ([k, v]) => {
      values.set(s(k), v ?? null);
      return '';
    }),
    SetX: fn(['string', 'any'], ([k, v]) => {
      if (!values.has(s(k))) values.set(s(k), v ?? null);
      return '';
    }),
    MapSet: fn(['string', 'string', 'any'], ([k, mk, v]) => mapSet(s(k), s(mk), v ?? null, true)),
    MapSetX: fn(['string', 'string', 'any'], ([k, mk, v]) => mapSet(s(k), s(mk), v ?? null, false)),
    MapValues: fn(['string'], ([k]) => {
      const typed = values.get(s(k));
      if (!isMap(typed ?? null)) return nilSlice('interface');
      const m = typed as GoMap;
      return typedSlice(Object.keys(m).sort(compareGoStrings).map((key) => m[key] ?? null), 'interface');
    }),
  });
}

export const scratchFunctions: FunctionMap = {
  scratch: fn([], (_args, ctx) => {
    let scratch = ctx.services.renderState.get('scratch') as GoObject | undefined;
    if (!scratch) {
      scratch = newScratch();
      ctx.services.renderState.set('scratch', scratch);
    }
    return scratch;
  }),
};
