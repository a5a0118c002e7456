import type { FastifyReply } from 'fastify';
import { CommandResult, Executed } from '../commands/command-executor';

/** An HTTP answer: its status and body. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Maps a command's result to HTTP (the same mapping for a first answer and a
 * retry's, so both read alike); an answer recorded before results were is
 * sent as it was recorded.
 */
export const answer = <O>(res: FastifyReply, executed: Executed<O>, map: (result: CommandResult<O>) => HttpAnswer): unknown => {
  const { status, body } = executed.kind === 'legacy' ? executed : map(executed.result);
  res.status(status);
  return body;
};

/** Where one stream stands after a command: its version and the events this command appended to it. */
export const streamOf = <O>(result: CommandResult<O>, key: string) => {
  const stream = result.streams.find((s) => s.key === key);
  return { version: stream?.version ?? 0, events: [...(stream?.events ?? [])] };
};
