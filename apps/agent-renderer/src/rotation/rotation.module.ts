import { Module, type DynamicModule } from '@nestjs/common';
import type { AgentRendererConfig } from '../app.module';
import { ROTATION_CONFIG, RotationService } from './rotation.service';

/** The rotation service (libs/rotation) inside the app. */
@Module({})
export class RotationModule {
  static forRoot(config: AgentRendererConfig): DynamicModule {
    return { module: RotationModule, providers: [{ provide: ROTATION_CONFIG, useValue: config }, RotationService] };
  }
}
