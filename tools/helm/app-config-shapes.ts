import type { z } from 'zod';
import { agentRendererConfigShape } from '../../apps/agent-renderer/src/config/agent-renderer.config';
import { consulGatewayConfigShape } from '../../apps/consul-gateway/src/config/consul-gateway.config';
import { injectorConfigShape } from '../../apps/injector/src/config/injector.config';
import { unsealKeeperConfigShape } from '../../apps/unseal-keeper/src/config/unseal-keeper.config';
import { vmConfigCollectorConfigShape } from '../../apps/vm-config-collector/src/config/vm-config-collector.config';

/** Each app's own config schema (apps/<app>/src/config), which the chart's env must satisfy. */
export const APP_CONFIG_SHAPES: Record<string, Record<string, z.ZodType>> = {
  injector: injectorConfigShape,
  'agent-renderer': agentRendererConfigShape,
  'unseal-keeper': unsealKeeperConfigShape,
  'vm-config-collector': vmConfigCollectorConfigShape,
  'consul-gateway': consulGatewayConfigShape,
};
