import type { IHeaders, Producer } from 'kafkajs';
import { dlqTopic, type Topic } from '@opzero/contracts';

/** Headers the bus adds to a dead-lettered record, beside the original `ce_*` headers. */
export const DlqHeaders = {
  reason: 'opzero_dlq_reason',
  error: 'opzero_dlq_error',
  topic: 'opzero_dlq_topic',
  partition: 'opzero_dlq_partition',
  offset: 'opzero_dlq_offset',
  attempts: 'opzero_dlq_attempts',
  at: 'opzero_dlq_at',
} as const;

/** `invalid`: failed envelope or contract validation; `failed`: the handler failed for good. */
export type DeadLetterReason = 'invalid' | 'failed';

export interface DeadLetter {
  topic: Topic;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | undefined;
  reason: DeadLetterReason;
  error: string;
  attempts: number;
}

/** Writes the original record, bytes and headers unchanged, to `<topic>.dlq` with the error. */
export async function sendToDeadLetter(producer: Producer, letter: DeadLetter): Promise<void> {
  await producer.send({
    topic: dlqTopic(letter.topic),
    acks: -1,
    messages: [
      {
        key: letter.key,
        value: letter.value,
        headers: {
          ...letter.headers,
          [DlqHeaders.reason]: letter.reason,
          [DlqHeaders.error]: letter.error.slice(0, 4096),
          [DlqHeaders.topic]: letter.topic,
          [DlqHeaders.partition]: String(letter.partition),
          [DlqHeaders.offset]: letter.offset,
          [DlqHeaders.attempts]: String(letter.attempts),
          [DlqHeaders.at]: new Date().toISOString(),
        },
      },
    ],
  });
}
