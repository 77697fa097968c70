/** The subset of JSON Schema (draft 2020-12) the chart schemas use; helm validates values against it. */
export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: readonly (string | number | boolean)[];
  const?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  not?: JsonSchema;
}

/** A string value. */
export const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });

/** An integer value within bounds. */
export const integer = (description: string, minimum: number, maximum?: number): JsonSchema => ({
  type: 'integer',
  description,
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});

/** A boolean value. */
export const bool = (description: string): JsonSchema => ({ type: 'boolean', description });

/** One of a closed set of strings. */
export const oneOfStrings = (description: string, values: readonly string[]): JsonSchema => ({ type: 'string', description, enum: values });

/** An object whose keys are all listed: a misspelt key is an error naming it. */
export const closed = (description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  description,
  properties,
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
});

/** A Kubernetes structure passed through as it is (the API server validates it at install). */
export const passThrough = (description: string): JsonSchema => ({ type: 'object', description });

/** A list of Kubernetes structures passed through as they are. */
export const passThroughList = (description: string): JsonSchema => ({ type: 'array', description, items: { type: 'object' } });

/** A string-to-string map (labels, annotations). */
export const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});

/** A list of strings. */
export const stringList = (description: string, item: JsonSchema = { type: 'string' }, minItems = 0): JsonSchema => ({
  type: 'array',
  description,
  items: item,
  ...(minItems > 0 ? { minItems } : {}),
});
