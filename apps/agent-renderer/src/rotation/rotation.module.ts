import { Module, type DynamicModule } from '@nestjs/common';
import type { AgentRendererConfig } from '../app.module';
import { ROTATION_CONFIG, RotationService } from './rotation.service';
import { WatchRoute } from './watch.route';

/** The rotation service (libs/rotation) inside the app, and the sidecars' watch route. */
@Module({})
export class RotationModule {
  static forRoot(config: AgentRendererConfig): DynamicModule {
    return { module: RotationModule, providers: [{ provide: ROTATION_CONFIG, useValue: config }, RotationService, WatchRoute] };
  }
}
