import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InvalidAdmissionReview, mutateReview, parseAdmissionReview, readJsonBody, type AdmissionReview, type BodyRejection, type MutationOutcome } from '@opzero/annotations';
import { METRICS_REGISTRY, ROOT_LOGGER } from '@opzero/observability';
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
 * POST /mutate, the Kubernetes mutating admission webhook, served straight from the HTTPS
 * server's request event: every other path goes on to Fastify, but the busiest route of the
 * cluster skips Fastify's and Nest's per-request hooks, middleware, router and body-parser
 * chain, which cost about a third of the injector's CPU per admission (bench:injector). The
 * body is read as Fastify's default JSON parser would (limit, content type, prototype keys:
 * readJsonBody). Every answer is 200 (allowed or denied) or 4xx; an unexpected failure denies
 * the pod and is logged, never a 5xx (with `failurePolicy: Ignore` a 5xx would admit the pod
 * without its agent).
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
    // Fastify listens on the server's request event; /mutate is taken before it, the rest is
    // handed to Fastify's listeners unchanged (health, readiness, metrics, 404s).
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const others = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.method === 'POST' && isMutatePath(request.url)) {
        return void this.serve(request, response).catch((error: unknown) => {
          this.logger.error({ err: error }, 'admission request failed unexpectedly');
          response.destroy();
        });
      }
      for (const listener of others) listener.call(server, request, response);
    });
  }

  /** Reads, answers and, once the answer is written, queues the pod-created event. */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const read = await readJsonBody(request, this.options.bodyLimitBytes);
    if ('aborted' in read) {
      // Not the injector's fault, and any pod creator could otherwise flood the log.
      this.outcomes.inc({ outcome: 'aborted' });
      return this.logger.debug({}, 'client abandoned the request');
    }
    if ('rejected' in read) return this.unreadable(read.rejected, response);
    let answer: MutateAnswer;
    try {
      answer = this.answer(read.body);
    } catch (error) {
      // parseAdmissionReview threw something other than its own error: a bug, not bad input.
      this.logger.error({ err: error }, 'unreadable AdmissionReview failed unexpectedly');
      answer = this.counted({ status: 400, body: JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'not an AdmissionReview' }), outcome: 'error' });
    }
    response.writeHead(answer.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(answer.body) });
    response.end(answer.body);
    // After the answer is written: queueing the event is not the API server's wait.
    if (answer.event) this.events.injected(answer.event);
  }

  /** Answers a parsed request body; the caller queues `event` for publishing. */
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
   * A body that could not be read: not JSON, too large, or not declared as JSON. The client
   * hears why (4xx); the log gets one debug line, as none of these is the injector's fault. A
   * body refused for its size is not read on: the connection closes after the answer.
   */
  private unreadable(rejection: BodyRejection, response: ServerResponse): void {
    this.outcomes.inc({ outcome: 'bad-request' });
    this.logger.debug({ status: rejection.status, reason: rejection.message }, 'unreadable request body');
    const body = JSON.stringify({ statusCode: rejection.status, error: rejection.error, message: rejection.message });
    response.writeHead(rejection.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body), ...(rejection.status === 413 ? { connection: 'close' } : {}) });
    response.end(body);
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** `/mutate`, with or without a query (the API server adds `?timeout=10s`). */
function isMutatePath(url: string | undefined): boolean {
  return url === '/mutate' || (url?.startsWith('/mutate?') ?? false);
}
