import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { InvalidAdmissionReview, mutateReview, parseAdmissionReview, type AdmissionReviewResponse } from '@opzero/annotations';
import { METRICS_REGISTRY } from '@opzero/observability';
import { Counter, type Registry } from 'prom-client';
import { InjectionEvents } from './injection-events.service';
import { INJECTOR_OPTIONS, type InjectorOptions } from './injector-options';

/** POST /mutate: the Kubernetes mutating admission webhook endpoint. */
@Controller()
export class MutateController {
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(INJECTOR_OPTIONS) private readonly options: InjectorOptions,
    private readonly events: InjectionEvents,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.outcomes = new Counter({ name: 'opzero_injector_admissions_total', help: 'Admission reviews by outcome', labelNames: ['outcome'], registers: [registry] });
  }

  @Post('mutate')
  @HttpCode(200)
  mutate(@Body() body: unknown): AdmissionReviewResponse {
    let review;
    try {
      review = parseAdmissionReview(body);
    } catch (error) {
      if (error instanceof InvalidAdmissionReview) {
        this.outcomes.inc({ outcome: 'bad-request' });
        throw new BadRequestException(`not an AdmissionReview: ${error.message}`, { cause: error });
      }
      throw error;
    }
    const outcome = mutateReview(review, this.options.settings);
    this.outcomes.inc({ outcome: outcome.reason });
    if (outcome.injected) this.events.injected(outcome.injected);
    return outcome.response;
  }
}
