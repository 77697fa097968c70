import { ContractViolation, ensureValidEvent, exampleEvents, isValidEvent, podCreated, secretRotated, Topics, validateEvent } from './index';

const example = () => structuredClone(exampleEvents[Topics.podCreated]);

describe('validateEvent', () => {
  it('returns the parsed event, frozen down to its secrets, and marked for its contract only', () => {
    const event = validateEvent(podCreated, example());
    expect(event).toEqual(example());
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.secrets)).toBe(true);
    expect(event.secrets.every((secret) => Object.isFrozen(secret))).toBe(true);
    expect(isValidEvent(podCreated, event)).toBe(true);
    expect(isValidEvent(secretRotated, event)).toBe(false);
  });

  it('throws ContractViolation naming the field of a malformed event', () => {
    expect(() => validateEvent(podCreated, { ...example(), namespace: 'Shop' })).toThrow(ContractViolation);
    expect(() => validateEvent(podCreated, { ...example(), namespace: 'Shop' })).toThrow(/namespace/);
  });

  it('keeps a validated event from being changed afterwards', () => {
    const event = validateEvent(podCreated, example());
    expect(() => {
      (event as { namespace: string }).namespace = 'Not A Name';
    }).toThrow(TypeError);
    expect(() => {
      (event.secrets as Array<{ name: string; path: string }>).push({ name: 'x', path: '../sys' });
    }).toThrow(TypeError);
  });
});

describe('isValidEvent', () => {
  it('does not take a look-alike: a valid but unchecked event, or a copy of a checked one', () => {
    const checked = validateEvent(podCreated, example());
    expect(isValidEvent(podCreated, example())).toBe(false);
    expect(isValidEvent(podCreated, { ...checked })).toBe(false);
    expect(isValidEvent(podCreated, { ...checked, namespace: 'Not A Name' })).toBe(false);
    expect(isValidEvent(podCreated, null)).toBe(false);
  });
});

describe('ensureValidEvent', () => {
  it('passes a validated event through without parsing it again', () => {
    const event = validateEvent(podCreated, example());
    const parse = jest.spyOn(podCreated.schema, 'safeParse');
    try {
      expect(ensureValidEvent(podCreated, event)).toBe(event);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('validates an unchecked event, and refuses a malformed one', () => {
    const parse = jest.spyOn(podCreated.schema, 'safeParse');
    try {
      expect(isValidEvent(podCreated, ensureValidEvent(podCreated, example()))).toBe(true);
      expect(parse).toHaveBeenCalledTimes(1);
      expect(() => ensureValidEvent(podCreated, { ...example(), mode: 'daemon' })).toThrow(/mode/);
    } finally {
      parse.mockRestore();
    }
  });
});
