import { describeApiError } from './kube-bridge-server';

describe('describeApiError', () => {
  it("takes the API server's Status message and the HTTP code from a client-node ApiException", () => {
    const error = Object.assign(new Error('HTTP-Code: 409 Message: Unknown API Status Code! Body: ...'), {
      code: 409,
      body: JSON.stringify({ kind: 'Status', message: 'secrets "db" already exists', code: 409 }),
    });
    expect(describeApiError(error)).toEqual({ message: 'secrets "db" already exists', code: 409 });
  });

  it("falls back to the error's own message", () => {
    expect(describeApiError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toEqual({ message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(describeApiError(Object.assign(new Error('bad gateway'), { code: 502, body: '<html>' }))).toEqual({ message: 'bad gateway', code: 502 });
  });
});
