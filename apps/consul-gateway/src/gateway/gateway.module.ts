import { Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_OPTIONS } from './gateway-options';
import { GatewayService, type GatewayModuleOptions } from './gateway.service';

/** The Consul gateway beside the app's health and metrics endpoints. */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    return { module: GatewayModule, providers: [{ provide: GATEWAY_OPTIONS, useValue: options }, GatewayService] };
  }
}
