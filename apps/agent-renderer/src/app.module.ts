import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { secretRotated } from '@opzero/contracts';
import type { z } from 'zod';
import type { agentRendererConfigShape } from './config/agent-renderer.config';
import { RotationModule } from './rotation/rotation.module';

export type AgentRendererConfig = z.infer<z.ZodObject<typeof agentRendererConfigShape>>;

/** Central service of the agent: indexes injected pods, watches their secret paths, emits secret-rotated. */
@Module({})
export class AppModule {
  static forRoot(config: AgentRendererConfig): DynamicModule {
    return { module: AppModule, imports: [...serviceFoundation({ app: 'agent-renderer', config, produces: [secretRotated] }), RotationModule.forRoot(config)] };
  }
}
