import type { z } from 'zod';
import type { Contract, EventOf } from './contract';

/** A payload did not match its contract. The message names every failing field. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly topic: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${topic}: ${describeIssues(issues)}`);
  }
}

/** `field.path: message; other: message`, the form every edge reports validation errors in. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Validates a payload against its contract; returns the parsed event or throws ContractViolation. */
export function parseEvent<C extends Contract>(contract: C, data: unknown): EventOf<C> {
  const result = contract.schema.safeParse(data);
  if (!result.success) throw new ContractViolation(contract.topic, result.error.issues);
  return result.data as EventOf<C>;
}
