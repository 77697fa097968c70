import { EnvelopeError, exampleEvents, fromKafkaMessage, podCreated, sealed, toKafkaMessage, Topics } from './index';

describe('CloudEvents Kafka binding', () => {
  it('round-trips a payload with ce_* headers and the contract key', () => {
    const data = exampleEvents[Topics.sealed];
    const time = new Date('2026-11-28T11:00:00.000Z');
    const message = toKafkaMessage(sealed, data, { id: 'evt-1', time });

    expect(message.key).toBe(data.node);
    expect(message.headers).toMatchObject({
      ce_id: 'evt-1',
      ce_source: '/opzero/unseal-keeper',
      ce_type: 'io.opzero.vault.sealed.v1',
      ce_specversion: '1.0',
      ce_time: time.toISOString(),
      'content-type': 'application/json',
    });
    expect(JSON.parse(message.value.toString())).toEqual(data);

    // kafkajs hands headers back as Buffers.
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)]));
    const received = fromKafkaMessage({ key: Buffer.from(message.key), value: message.value, headers });
    expect(received).toEqual({
      id: 'evt-1',
      type: 'io.opzero.vault.sealed.v1',
      source: '/opzero/unseal-keeper',
      specversion: '1.0',
      time: time.toISOString(),
      key: data.node,
      data,
    });
  });

  it('generates a unique id per event', () => {
    const data = exampleEvents[Topics.podCreated];
    const ids = new Set(Array.from({ length: 50 }, () => toKafkaMessage(podCreated, data).headers['ce_id']));
    expect(ids.size).toBe(50);
  });

  it.each([
    ['no ce_id', { ce_source: 's', ce_type: 't', ce_specversion: '1.0' }, '{}', /ce_id is missing/],
    ['wrong specversion', { ce_id: '1', ce_source: 's', ce_type: 't', ce_specversion: '0.3' }, '{}', /ce_specversion/],
    ['non-JSON value', { ce_id: '1', ce_source: 's', ce_type: 't', ce_specversion: '1.0' }, '{oops', /not valid JSON/],
    [
      'non-JSON content type',
      { ce_id: '1', ce_source: 's', ce_type: 't', ce_specversion: '1.0', 'content-type': 'text/plain' },
      '{}',
      /content-type/,
    ],
  ])('rejects a message with %s', (_name, headers, value, error) => {
    expect(() => fromKafkaMessage({ key: 'k', value: Buffer.from(value), headers })).toThrow(EnvelopeError);
    expect(() => fromKafkaMessage({ key: 'k', value: Buffer.from(value), headers })).toThrow(error);
  });

  it('rejects a tombstone', () => {
    const headers = { ce_id: '1', ce_source: 's', ce_type: 't', ce_specversion: '1.0' };
    expect(() => fromKafkaMessage({ key: 'k', value: null, headers })).toThrow(/tombstone/);
  });
});

describe('interoperability with the CloudEvents SDK', () => {
  it('the SDK reads our Kafka message as a valid CloudEvent with the same attributes and data', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Kafka } = require('cloudevents') as typeof import('cloudevents');
    const data = exampleEvents[Topics.podCreated];
    const message = toKafkaMessage(podCreated, data, { id: 'interop-1' });
    const event = Kafka.toEvent({ key: message.key, value: message.value.toString(), headers: message.headers, body: undefined } as never);
    const single = Array.isArray(event) ? event[0]! : event;
    expect((single as unknown as { validate(): boolean }).validate()).toBe(true);
    expect(single).toMatchObject({ id: 'interop-1', type: podCreated.type, source: '/opzero/injector', specversion: '1.0' });
    expect(single.data).toEqual(data);
  });
});
