// The injector with INJECTOR_WORKERS=2: two processes share the port, /metrics on any of them
// reports the admissions of both, and SIGTERM stops the whole cluster with status 0.
import { freePort, localCertificateFiles, postJson, requestJson, spawnApp, waitFor } from '@opzero/testing';
import { podWith, reviewOf } from '../../libs/annotations/corpus/admission-corpus';

it('serves /mutate from two workers and sums their metrics', async () => {
  const { ca: cert, certFile, keyFile } = await localCertificateFiles();
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const injector = spawnApp('injector', {
    INJECTOR_HOST: '127.0.0.1',
    INJECTOR_PORT: String(port),
    INJECTOR_WORKERS: '2',
    INJECTOR_KAFKA_BROKERS: '127.0.0.1:1', // unreachable on purpose: admission must not care
    INJECTOR_TLS_CERT_FILE: certFile,
    INJECTOR_TLS_KEY_FILE: keyFile,
    INJECTOR_LOG_LEVEL: 'warn',
  });
  try {
    await waitFor('injector ready', async () => ((await requestJson('GET', `${base}/readyz`, { ca: cert })).status === 200 ? true : undefined));
    const annotations = { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web' };
    // Separate connections, so the kernel spreads them over both workers.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJson(`${base}/mutate`, JSON.stringify(reviewOf(podWith(annotations))), cert)),
    );
    expect(answers.every((a) => (a.body as { response: { allowed: boolean } }).response.allowed)).toBe(true);

    const metrics = await waitFor('summed metrics', async () => {
      const text = (await requestJson('GET', `${base}/metrics`, { ca: cert })).text;
      return /opzero_injector_admissions_total\{[^}]*outcome="injected"[^}]*\} 20\b/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/opzero_injector_admissions_total\{[^}]*outcome="injected"[^}]*\} 20\b/);
    expect(await injector.stop()).toBe(0);
  } finally {
    await injector.kill();
  }
}, 90_000);

it('refuses auto TLS with several workers, naming both variables', async () => {
  const injector = spawnApp('injector', { INJECTOR_WORKERS: '2', INJECTOR_TLS_AUTO: 'true' });
  expect(await injector.exited).toBe(78);
  expect(injector.output()).toContain('INJECTOR_TLS_AUTO=true with INJECTOR_WORKERS=2');
}, 30_000);
