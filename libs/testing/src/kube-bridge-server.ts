import { createInterface } from 'node:readline';

/** One operation a bridge script serves: JSON arguments in, a JSON-serialisable result out. */
export type KubeBridgeOperation = (args: never) => Promise<unknown>;

/** The HTTP status and the API server's Status message of a client-node ApiException. */
export function describeApiError(error: unknown): { message: string; code?: number } {
  const failure = error as { code?: unknown; body?: unknown; message?: unknown };
  const code = typeof failure.code === 'number' ? failure.code : undefined;
  let body = failure.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // a non-JSON body: the exception's own message below
    }
  }
  const statusMessage = (body as { message?: unknown } | undefined)?.message;
  const message = typeof statusMessage === 'string' ? statusMessage : String(failure.message ?? error);
  return code === undefined ? { message } : { message, code };
}

/**
 * The child side of a KubeBridge: reads one `{id, op, args}` JSON line at a time from stdin,
 * runs the operation, writes `{id, result}` or `{id, error}`; exits when stdin closes.
 */
export function serveKubeBridge(operations: Record<string, KubeBridgeOperation>): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const request = JSON.parse(line) as { id: number; op: string; args: unknown };
    const operation = operations[request.op];
    const reply = (body: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ id: request.id, ...body })}\n`);
    if (!operation) {
      reply({ error: { message: `unknown operation ${request.op}` } });
      return;
    }
    (operation as (args: unknown) => Promise<unknown>)(request.args).then(
      (result) => reply({ result: result ?? null }),
      (error: unknown) => reply({ error: describeApiError(error) }),
    );
  });
  lines.on('close', () => process.exit(0));
}
