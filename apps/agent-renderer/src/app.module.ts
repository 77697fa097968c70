import { Module, type DynamicModule } from '@nestjs/common';
import { BusModule } from '@opzero/bus';
import { secretRotated } from '@opzero/contracts';
import { ObservabilityModule } from '@opzero/observability';
import type { z } from 'zod';
import type { agentRendererConfigShape } from './config/agent-renderer.config';

export type AgentRendererConfig = z.infer<z.ZodObject<typeof agentRendererConfigShape>>;

/** Central service of the agent: indexes injected pods, watches their secret paths, emits secret-rotated. */
@Module({})
export class AppModule {
  static forRoot(config: AgentRendererConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'agent-renderer', logLevel: config.LOG_LEVEL }),
        BusModule.forRoot({
          connection: { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID },
          produces: [secretRotated],
          topics: { partitions: config.KAFKA_TOPIC_PARTITIONS },
        }),
      ],
    };
  }
}
