import { fn, type FunctionMap } from '../core/function-def';
import { isMap, mapElem, sliceElem, typedMap, typedSlice, type GoMap, type GoValue } from '../core/go-value';
import { sprigCollectionFunctions } from './sprig/sprig-collections.function';
import { sprigCertFunctions } from './sprig/sprig-cert.function';
import { sprigCryptoFunctions } from './sprig/sprig-crypto.function';
import { sprigDateFunctions } from './sprig/sprig-date.function';
import { sprigSemverFunctions } from './sprig/sprig-semver.function';
import { sprigStringFunctions } from './sprig/sprig-strings.function';
import { sprigUrlFunctions } from './sprig/sprig-url.function';
import { sprigValueFunctions } from './sprig/sprig-values.function';

/**
 * Sprig v3.2.3 as Vault Agent registers it (every TxtFuncMap function under `sprig_`).
 * The README lists which are ported and why the others (random values, key generation,
 * dates, network, semver, URLs) are not.
 */
const ported: FunctionMap = { ...sprigStringFunctions, ...sprigCollectionFunctions, ...sprigValueFunctions, ...sprigUrlFunctions, ...sprigDateFunctions, ...sprigSemverFunctions, ...sprigCryptoFunctions, ...sprigCertFunctions };

/** Sprig's must* list functions return the error their plain twin panics with; in a template both read `error calling ...`. */
const MUST_TWINS = ['append', 'chunk', 'compact', 'has', 'initial', 'last', 'prepend', 'rest', 'reverse', 'slice', 'uniq', 'without'];
const mustTwins: FunctionMap = Object.fromEntries(MUST_TWINS.map((name) => [`sprig_must${name[0]!.toUpperCase()}${name.slice(1)}`, ported[`sprig_${name}`]!]));

export const sprigFunctions: FunctionMap = {
  ...ported,
  ...mustTwins,
  sprig_hello: fn([], () => 'Hello!'),
  sprig_deepCopy: fn(['any'], ([v]) => deepCopy(v ?? null)),
  sprig_mustDeepCopy: fn(['any'], ([v]) => deepCopy(v ?? null)),
};

/** copystructure.Copy of the value model: containers copied, scalars shared. */
function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return typedSlice(v.map(deepCopy), sliceElem(v));
  if (isMap(v)) {
    const out: GoMap = {};
    for (const [k, e] of Object.entries(v)) out[k] = deepCopy(e);
    return mapElem(v) === 'interface' ? out : typedMap(out, mapElem(v) as 'string' | 'anykey');
  }
  return v;
}
