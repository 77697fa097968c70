import { Module, type DynamicModule } from '@nestjs/common';
import { serviceFoundation } from '@opzero/bus';
import { consulServersChanged } from '@opzero/contracts';
import type { z } from 'zod';
import type { consulGatewayConfigShape } from './config/consul-gateway.config';

export type ConsulGatewayConfig = z.infer<z.ZodObject<typeof consulGatewayConfigShape>>;

/** A fixed address in front of Consul servers whose IPs change. */
@Module({})
export class AppModule {
  static forRoot(config: ConsulGatewayConfig): DynamicModule {
    return { module: AppModule, imports: serviceFoundation({ app: 'consul-gateway', config, produces: [consulServersChanged] }) };
  }
}
