import { Controller, Get, HttpCode, HttpException, HttpStatus } from '@nestjs/common';
import { ReadinessService } from './readiness.service';

@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process serves HTTP. */
  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  /** Readiness: every registered dependency check passes (503 with the failing ones otherwise). */
  @Get('readyz')
  async readyz() {
    const result = await this.readiness.evaluate();
    if (!result.ready) throw new HttpException({ status: 'not ready', checks: result.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', checks: result.checks };
  }
}
