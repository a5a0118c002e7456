import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AuthenticatedRequest } from '../../../access/access.guard';
import type { ApiExceptionFilter } from '../../../common/http/api-exception.filter';
import { requestContextOf } from '../../../common/http/request-context';
import { prechecked } from '../../../common/http/validation.pipe';
import { RecordScanHttpController } from './record-scan.http.controller';
import { RecordScanRequestDto } from './record-scan.request.dto';
import { asFirstPreHandler, laneAccess } from '../../../common/http/fast-lane';

/**
 * A single scan, served by its controller before Nest's pipeline when the
 * request passes every step of it as it stands: a token resolved lately
 * admitted by the guard's own admitResolved, a body the DTO's own precheck
 * answers (what the validation pipe returns for it), the request context
 * @Ctx() would give. Anything else (a refusal, an unknown token, a body the
 * pipe must judge) goes on to the route, which answers it the one way it
 * answers everything: this lane refuses nothing itself. What the controller
 * throws is answered by the app's exception filter, as Nest would. Nest's
 * guard, pipes, param factories and response handling cost a scan about as
 * much CPU as the route's own HTTP work; this is the route's first Fastify
 * preHandler, so the id, access line, security headers, CORS and metrics of
 * the onRequest hooks still apply. Installed before Nest registers its routes
 * (configureApp).
 */
export const installRecordScanFastLane = (app: INestApplication, server: FastifyInstance, prefix: string, filter: ApiExceptionFilter): void => {
  const controller = app.get(RecordScanHttpController);
  const access = laneAccess(app, prefix, RecordScanHttpController, RecordScanHttpController.prototype.record);

  /** The body as the validation pipe would give it, once the guard admitted the caller; null: Nest's pipeline judges the request. */
  const admitted = (req: AuthenticatedRequest): RecordScanRequestDto | null =>
    access.admit(req) === undefined ? null : (prechecked(RecordScanRequestDto, req.body) as RecordScanRequestDto | null);

  const serve = async (req: AuthenticatedRequest, reply: FastifyReply, body: RecordScanRequestDto): Promise<void> => {
    // Nest's status for a POST, set before its handler runs (the handler's answer() sets its own).
    reply.status(201);
    const answered = await controller.record(body, requestContextOf(req), reply);
    reply.send(answered);
  };

  const lane = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const body = req.method === 'POST' ? admitted(req) : null;
    if (body === null) return done();
    serve(req, reply, body).catch((e: unknown) => filter.send(reply, e));
  };
  asFirstPreHandler(server, 'POST', access.route, lane, "serve scans on before Nest's pipeline");
};
