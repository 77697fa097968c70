import { commonAppShape, positiveInt } from '@opzero/config';
import { z } from 'zod';

/** Environment prefix of every injector setting: `INJECTOR_PORT`, `INJECTOR_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'INJECTOR';

/** injector configuration; feature issues add their settings here. */
export const injectorConfigShape = {
  ...commonAppShape({ port: 8443, clientId: 'injector' }),
  /** Image of the injected agent (the agent-renderer). */
  AGENT_IMAGE: z.string().min(1).default('opzero/agent-renderer:0.1.0'),
  /** Vault address written into every agent configuration (annotation `service` overrides). */
  VAULT_ADDRESS: z.url({ protocol: /^https?$/ }).default('https://vault.vault.svc:8200'),
  /** Serving certificate and key (PEM files, reloaded when they change). Unset: a self-signed pair is generated at start. */
  TLS_CERT_FILE: z.string().default(''),
  TLS_KEY_FILE: z.string().default(''),
  /** Largest AdmissionReview body accepted; the API server's own limit is 3 MiB. Larger bodies get 413. */
  BODY_LIMIT_BYTES: positiveInt(3 * 1024 * 1024),
  /** pod-created events held in memory while Kafka is away; beyond it the oldest are dropped and counted. */
  EVENT_BUFFER_SIZE: positiveInt(10_000),
};
