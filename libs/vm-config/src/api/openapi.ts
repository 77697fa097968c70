/** The OpenAPI 3.0 description of the VM Config list's read API, served at /v1/vm-config/openapi.json. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'VM Config list',
    version: '1.0.0',
    description:
      'Facts of every VM (collected into Consul vm-config/<node>/), every version kept in PostgreSQL. Read-only: facts come only from Consul. ' +
      'Authorise with Authorization: Bearer <token> or the configured auth proxy header. A bad parameter answers 400 with `field` naming it.',
  },
  servers: [{ url: '/v1/vm-config' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    parameters: {
      node: { name: 'node', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$' } },
    },
    schemas: {
      NodeSummary: {
        type: 'object',
        properties: {
          node: { type: 'string' },
          os: { type: 'string' },
          osVersion: { type: 'string' },
          kernel: { type: 'string' },
          version: { type: 'integer', description: 'current version number' },
          firstSeen: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time', description: 'when the current version was collected' },
        },
      },
      Error: { type: 'object', properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } } },
      FactChange: {
        type: 'object',
        properties: { path: { type: 'string' }, kind: { type: 'string', enum: ['added', 'removed', 'changed'] }, before: {}, after: {} },
      },
    },
    responses: {
      BadRequest: { description: 'a parameter is invalid; `field` names it', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      Unauthorized: { description: 'no or wrong credentials' },
      NotFound: { description: 'no such node or version' },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/nodes': {
      get: {
        summary: 'List nodes: search, filter, sort, cursor pages',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'free text in node and host names, OS, kernel, CPU model, DMI, virtualization, addresses and MACs (case-insensitive)' },
          { name: 'os', in: 'query', schema: { type: 'string', maxLength: 200 } },
          { name: 'os_version', in: 'query', schema: { type: 'string', maxLength: 200 } },
          { name: 'kernel', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'kernel release, exact' },
          { name: 'package', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'NAME or NAME@VERSION installed' },
          {
            name: 'fact',
            in: 'query',
            schema: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 400 } },
            style: 'form',
            explode: true,
            description: 'PATH=VALUE (equals) or PATH~VALUE (contains, case-insensitive); PATH is dotted into the current facts (packages excluded: use package)',
          },
          { name: 'changed_within_days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 3650 }, description: 'only nodes whose current version was collected in the last N days' },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['node', '-node', 'os', '-os', 'kernel', '-kernel', 'updated_at', '-updated_at'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 1024 }, description: 'nextCursor of the previous page' },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] }, description: 'csv puts nextCursor in the X-Next-Cursor header' },
        ],
        responses: {
          200: {
            description: 'one page',
            content: {
              'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/NodeSummary' } }, nextCursor: { type: 'string', nullable: true } } } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          400: { $ref: '#/components/responses/BadRequest' },
          401: { $ref: '#/components/responses/Unauthorized' },
        },
      },
    },
    '/export': {
      get: {
        summary: 'Every node matching the list filters (up to 100000), as CSV (default) or JSON',
        parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'json'], default: 'csv' } }],
        responses: { 200: { description: 'the export file' }, 400: { $ref: '#/components/responses/BadRequest' }, 401: { $ref: '#/components/responses/Unauthorized' } },
      },
    },
    '/nodes/{node}': {
      get: {
        summary: "A node's current facts",
        parameters: [{ $ref: '#/components/parameters/node' }],
        responses: { 200: { description: 'NodeSummary plus facts' }, 400: { $ref: '#/components/responses/BadRequest' }, 404: { $ref: '#/components/responses/NotFound' } },
      },
    },
    '/nodes/{node}/history': {
      get: {
        summary: "A node's versions, newest first",
        parameters: [
          { $ref: '#/components/parameters/node' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'before', in: 'query', schema: { type: 'integer', minimum: 1 }, description: 'only versions older than this one (paging)' },
        ],
        responses: { 200: { description: '{ node, versions: [{ version, collectedAt, changed, factsSha256, modifyIndex }] }' }, 400: { $ref: '#/components/responses/BadRequest' }, 404: { $ref: '#/components/responses/NotFound' } },
      },
    },
    '/nodes/{node}/versions/{version}': {
      get: {
        summary: 'One version of the facts',
        parameters: [{ $ref: '#/components/parameters/node' }, { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: { 200: { description: '{ node, version, collectedAt, changed, facts }' }, 400: { $ref: '#/components/responses/BadRequest' }, 404: { $ref: '#/components/responses/NotFound' } },
      },
    },
    '/nodes/{node}/diff': {
      get: {
        summary: 'The leaf differences between two versions',
        parameters: [
          { $ref: '#/components/parameters/node' },
          { name: 'from', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'to', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          200: { description: '{ node, from, to, changes }', content: { 'application/json': { schema: { type: 'object', properties: { changes: { type: 'array', items: { $ref: '#/components/schemas/FactChange' } } } } } } },
          400: { $ref: '#/components/responses/BadRequest' },
          404: { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
} as const;
