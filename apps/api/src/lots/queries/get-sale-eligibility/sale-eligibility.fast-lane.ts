import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AuthenticatedRequest } from '../../../access/access.guard';
import { unstorableText } from '../../../common/http/input-shape';
import { LotQueriesHttpController } from '../../lot-queries.http.controller';
import { SaleEligibilityAnswers } from './sale-eligibility.answers';
import { ELIGIBILITY_CONTENT_TYPE } from './sale-eligibility.json';
import { asFirstPreHandler, laneAccess } from '../../../common/http/fast-lane';

/**
 * The retailer's read, answered from memory before Nest's pipeline when
 * everything it needs is there: no query string, a token resolved lately, the
 * lot's answer kept (SaleEligibilityAnswers) and every check passed (the
 * guard's own admitResolved, the param's storable-text check). Anything else
 * (a refusal, `?atLeast=`, a cache miss, an unknown token) goes on to the
 * route (LotQueriesHttpController.eligibility), which answers it the one way
 * it answers everything: this lane decides no answer of its own. Nest's guard,
 * pipes, interceptors and query bus cost more CPU than the read itself (about
 * 45 of 80 us per request); this is the route's first Fastify preHandler, so
 * the id, access line, security headers, CORS and metrics of the onRequest
 * hooks still apply. Installed before Nest registers its routes (configureApp).
 */
export const installSaleEligibilityFastLane = (app: INestApplication, server: FastifyInstance, prefix: string): void => {
  const answers = app.get(SaleEligibilityAnswers);
  const access = laneAccess(app, prefix, LotQueriesHttpController, LotQueriesHttpController.prototype.eligibility);

  const inMemory = (req: AuthenticatedRequest): string | undefined => {
    if (req.url.includes('?')) return undefined;
    const { traceCode } = req.params as { traceCode: string };
    // RejectNulPipe's refusal is the route's to give.
    if (unstorableText(traceCode) !== null) return undefined;
    const principal = access.admit(req);
    if (principal === undefined) return undefined;
    try {
      return answers.bodyInMemory(traceCode, principal, new Date());
    } catch {
      return undefined;
    }
  };

  const lane = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // Fastify gives the GET route's HEAD twin the same hooks.
    if (req.method !== 'GET') return done();
    const body = inMemory(req);
    if (body === undefined) return done();
    reply.header('content-type', ELIGIBILITY_CONTENT_TYPE).send(body);
  };
  asFirstPreHandler(server, 'GET', access.route, lane, 'answer the eligibility read from memory');
};
