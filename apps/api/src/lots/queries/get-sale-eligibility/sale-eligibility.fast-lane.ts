import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AccessGuard, type AuthenticatedRequest } from '../../../access/access.guard';
import { bearerToken } from '../../../access/access-token';
import { CredentialStore } from '../../../access/credential-store';
import { unstorableText } from '../../../common/http/input-shape';
import { LotQueriesHttpController } from '../../lot-queries.http.controller';
import { SaleEligibilityAnswers } from './sale-eligibility.answers';
import { ELIGIBILITY_CONTENT_TYPE } from './sale-eligibility.json';
import { asFirstPreHandler } from '../../../common/http/fast-lane';

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
  const guard = app.get(AccessGuard);
  const credentials = app.get(CredentialStore);
  const answers = app.get(SaleEligibilityAnswers);
  const controller = LotQueriesHttpController;
  const handler = LotQueriesHttpController.prototype.eligibility;
  const policy = guard.policyOf(handler, controller);
  if (policy.kind !== 'roles') throw new Error('the eligibility read is not a keyed route: its fast lane would skip its policy');
  // The pattern Fastify matched, as the controller declares it.
  const route = `/${prefix}/${Reflect.getMetadata(PATH_METADATA, controller)}/${Reflect.getMetadata(PATH_METADATA, handler)}`;

  const inMemory = (req: AuthenticatedRequest): string | undefined => {
    if (req.url.includes('?')) return undefined;
    const token = bearerToken(req.headers.authorization);
    const principal = token === null ? undefined : credentials.recentlyResolved(token);
    if (principal === undefined) return undefined;
    const { traceCode } = req.params as { traceCode: string };
    // RejectNulPipe's refusal is the route's to give.
    if (unstorableText(traceCode) !== null) return undefined;
    try {
      guard.admitResolved(policy, req, token, principal);
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
  asFirstPreHandler(server, 'GET', route, lane, 'answer the eligibility read from memory');
};
