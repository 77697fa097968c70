import { contractJsonSchema, contracts } from '@opzero/contracts';

/** The committed files of docs/events/: file name to JSON text (2-space, trailing newline). */
export function renderEventSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of Object.values(contracts)) {
    files.set(`${contract.topic}.schema.json`, `${JSON.stringify(contractJsonSchema(contract), null, 2)}\n`);
  }
  return files;
}
