import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { ApiError } from './api-errors';

/**
 * Sends one small static file (a page's script or stylesheet) whose name the
 * caller has already checked against its list: no path, no dot first. A file
 * that is not there is our JSON 404.
 */
export const sendFile = async (reply: FastifyReply, dir: string, file: string, type: string): Promise<void> => {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') throw new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route');
    throw e;
  }
  await reply.type(type).send(bytes);
};
