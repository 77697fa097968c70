import { Module, type DynamicModule } from '@nestjs/common';
import { InjectionEvents } from './injection-events.service';
import { INJECTOR_OPTIONS, type InjectorOptions } from './injector-options';
import { MutateRoute } from './mutate.route';

/** The admission webhook: POST /mutate and the pod-created events it publishes. */
@Module({})
export class MutateModule {
  static forRoot(options: InjectorOptions): DynamicModule {
    return {
      module: MutateModule,
      providers: [{ provide: INJECTOR_OPTIONS, useValue: options }, InjectionEvents, MutateRoute],
    };
  }
}
