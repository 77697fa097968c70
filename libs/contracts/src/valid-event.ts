import type { Contract, EventOf } from './contract';
import { parseEvent } from './validation';

// Type-level brand only: nothing outside validateEvent can produce a ValidEvent without a cast.
declare const validFor: unique symbol;

/**
 * An event that passed its contract's schema and was then deep-frozen, so it is still valid
 * wherever it travels: the bus sends it without parsing it again.
 */
export type ValidEvent<C extends Contract> = EventOf<C> & { readonly [validFor]: C['topic'] };

/**
 * The contract each validated event passed. A WeakMap entry, unlike a property or a symbol on
 * the object, cannot be forged or copied by a caller (a spread copy is not in the map), and it
 * goes away with the event.
 */
const validated = new WeakMap<object, Contract>();

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // The parsed output of a contract schema: plain objects and arrays, as deep as the schema.
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/**
 * Validates `data` against its contract once, at the edge that builds the event: returns the
 * parsed event, frozen and marked as valid for `contract`, or throws ContractViolation.
 */
export function validateEvent<C extends Contract>(contract: C, data: unknown): ValidEvent<C> {
  const event = deepFreeze(parseEvent(contract, data));
  if (typeof event === 'object' && event !== null) validated.set(event, contract);
  return event as ValidEvent<C>;
}

/** Whether `value` is an event returned by validateEvent for this very contract. */
export function isValidEvent<C extends Contract>(contract: C, value: unknown): value is ValidEvent<C> {
  return typeof value === 'object' && value !== null && validated.get(value) === contract;
}

/**
 * `value` itself when validateEvent already passed it for `contract` (a WeakMap lookup), else
 * validated now: what a publisher calls on events from any caller, so an unchecked or malformed
 * event is still refused with ContractViolation.
 */
export function ensureValidEvent<C extends Contract>(contract: C, value: unknown): ValidEvent<C> {
  return isValidEvent(contract, value) ? value : validateEvent(contract, value);
}
