import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InvalidAdmissionReview, mutateReview, parseAdmissionReview, type AdmissionReview, type MutationOutcome } from '@opzero/annotations';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { InjectionEvents } from './injection-events.service';
import { INJECTOR_OPTIONS, type InjectorOptions } from './injector-options';

/** What the webhook answers for one request body: the status and the JSON text to send. */
export interface MutateAnswer {
  status: number;
  body: string;
  outcome: MutationOutcome['reason'] | 'bad-request' | 'error';
  /** Set when the pod was mutated: its pod-created event (validated) is queued once the answer is sent. */
  event?: MutationOutcome['event'];
}

/**
 * POST /mutate, the Kubernetes mutating admission webhook, registered on Fastify directly: the
 * busiest route of the cluster skips Nest's per-request router, pipes and exception filter (and
 * their error log with a stack for every client that hangs up). Every answer is 200 (allowed or
 * denied) or 4xx; an unexpected failure denies the pod and is logged, never a 5xx (with
 * `failurePolicy: Ignore` a 5xx would admit the pod without its agent).
 */
@Injectable()
export class MutateRoute implements OnModuleInit {
  private readonly outcomes: Counter<'outcome'>;
  private readonly logger: Logger;

  constructor(
    @Inject(INJECTOR_OPTIONS) private readonly options: InjectorOptions,
    private readonly events: InjectionEvents,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.outcomes = new Counter({ name: 'opzero_injector_admissions_total', help: 'Admission reviews by outcome', labelNames: ['outcome'], registers: [registry] });
    this.logger = root.child({ component: 'mutate' });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: '/mutate',
      handler: (request: FastifyRequest, reply: FastifyReply) => {
        const answer = this.answer(request.body);
        void reply.code(answer.status).header('content-type', 'application/json; charset=utf-8').send(answer.body);
        // After the answer is written: queueing the event is not the API server's wait.
        if (answer.event) this.events.injected(answer.event);
      },
      errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => this.unreadable(error, request, reply),
    });
  }

  /** Answers a parsed request body; the caller queues `injected` for publishing. */
  answer(body: unknown): MutateAnswer {
    let review: AdmissionReview;
    try {
      review = parseAdmissionReview(body);
    } catch (error) {
      if (!(error instanceof InvalidAdmissionReview)) throw error;
      return this.counted({ status: 400, body: JSON.stringify({ statusCode: 400, error: 'Bad Request', message: `not an AdmissionReview: ${error.message}` }), outcome: 'bad-request' });
    }
    let outcome: MutationOutcome;
    try {
      outcome = mutateReview(review, this.options.settings);
    } catch (error) {
      // A bug, not bad input: deny rather than let the API server admit the pod without its agent.
      this.logger.error({ err: error, uid: review.request.uid }, 'admission failed unexpectedly; pod denied');
      const response = { uid: review.request.uid, allowed: false, status: { code: 500, message: 'the injector failed on this pod; see its log for the admission uid' } };
      return this.counted({ status: 200, body: JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response }), outcome: 'error' });
    }
    return this.counted({ status: 200, body: JSON.stringify(outcome.response), outcome: outcome.reason, ...(outcome.event ? { event: outcome.event } : {}) });
  }

  private counted(answer: MutateAnswer): MutateAnswer {
    this.outcomes.inc({ outcome: answer.outcome });
    return answer;
  }

  /**
   * A body that could not be read: not JSON, too large, too slow, or abandoned by the client.
   * The client hears why (4xx); the log gets one debug line without a stack, as none of these is
   * the injector's fault and any pod creator could otherwise flood the log.
   */
  private unreadable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const aborted = request.raw.destroyed || error.message === 'aborted' || error.code === 'ECONNRESET';
    this.outcomes.inc({ outcome: aborted ? 'aborted' : 'bad-request' });
    this.logger.debug({ status, code: error.code, reason: error.message.slice(0, 200) }, aborted ? 'client abandoned the request' : 'unreadable request body');
    if (aborted) return;
    void reply.code(status).send({ statusCode: status, error: 'Bad Request', message: error.message.slice(0, 200) });
  }
}
