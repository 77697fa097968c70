import { isMap, intValue, GoUint, JsonNumber, GoStruct, type GoMap, type GoValue } from '../core/go-value';

/**
 * mergo.Map(&dst, src[, WithOverride]) on map[string]interface{} values, as consul-template's
 * mergeMap / mergeMapWithOverride call it (imdario/mergo deepMerge, map case): empty
 * destination values (false, 0, "", empty list or map, nil) count as unset, a nil source
 * value is only copied with override, nested maps merge in place, and a destination that
 * is not a map is kept even with override when the source value is a map.
 */
export function mergoMap(dst: GoMap, src: GoMap, overwrite: boolean): GoMap {
  const srcEmpty = Object.keys(src).length === 0;
  for (const key of Object.keys(src)) {
    const sv = src[key] ?? null;
    const present = Object.prototype.hasOwnProperty.call(dst, key);
    const dv = present ? (dst[key] ?? null) : undefined;
    if (sv === null) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isMap(sv)) {
      if (dv !== undefined && dv !== null && isMap(dv)) mergoMap(dv, sv, overwrite);
    } else if (Array.isArray(sv)) {
      // mergo tests emptiness of the enclosing maps here, not of the elements (its own quirk).
      if (!srcEmpty && (overwrite || Object.keys(dst).length === 0)) dst[key] = sv;
      else if (dv === undefined || dv === null) dst[key] = [];
    }
    if (dv !== undefined && !isEmptyValue(dv) && (isMap(sv) || Array.isArray(sv))) continue;
    if (overwrite || dv === undefined || isEmptyValue(dv)) dst[key] = sv;
  }
  return dst;
}

/** mergo's isEmptyValue through an interface: zero numbers, false, empty strings and containers, nil. */
function isEmptyValue(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (v instanceof JsonNumber) return v.text.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (v instanceof GoUint) return v.value === 0n;
  const i = intValue(v);
  if (i !== undefined) return i === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoStruct) return false;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}
