import { Writable } from 'node:stream';
import type { Sealed, UnsealFailed, Unsealed } from '@opzero/contracts';
import { createLogger } from '@opzero/observability';
import type { Logger } from 'pino';
import type { UnsealEvents } from '../unseal-events';

export type RecordedEvent = ({ type: 'sealed' } & Sealed) | ({ type: 'unsealed' } & Unsealed) | ({ type: 'unseal-failed' } & UnsealFailed);

/** UnsealEvents that keeps every event in order, for assertions. */
export function recordingEvents(): UnsealEvents & { readonly events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    sealed: (event) => events.push({ type: 'sealed', ...event }),
    unsealed: (event) => events.push({ type: 'unsealed', ...event }),
    unsealFailed: (event) => events.push({ type: 'unseal-failed', ...event }),
  };
}

/** A real (redacting) logger at trace level whose every line is kept, so tests can grep them. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ name: 'unseal-test', level: 'trace' }, sink), lines };
}
