import { commonAppShape } from '@opzero/config';

/** Environment prefix of every agent-renderer setting: `AGENT_RENDERER_PORT`, `AGENT_RENDERER_KAFKA_BROKERS`... */
export const ENV_PREFIX = 'AGENT_RENDERER';

/** agent-renderer configuration; feature issues add their settings here. */
export const agentRendererConfigShape = {
  ...commonAppShape({ port: 8081, clientId: 'agent-renderer' }),
};
