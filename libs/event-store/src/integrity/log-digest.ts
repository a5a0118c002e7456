import { createHash } from 'node:crypto';

/**
 * One hash over every stream's head as of a position: SHA-256 of the UTF-8
 * lines `<streamId>\t<version>\t<hash hex>\n`, one per stream, in stream id
 * byte order (PostgreSQL `COLLATE "C"`). Fed a stream at a time, so a log of
 * any size is digested in constant memory.
 */
export class LogDigest {
  private readonly sha = createHash('sha256');
  private previous: Buffer | null = null;
  private count = 0;

  add(streamId: string, version: number, hash: string): void {
    const id = Buffer.from(streamId, 'utf8');
    // The order is part of the digest: refuse a feed that is not strictly ascending rather than hash it.
    if (this.previous && Buffer.compare(this.previous, id) >= 0) {
      throw new Error(`LogDigest: stream ${streamId} is not after ${this.previous.toString('utf8')} in byte order`);
    }
    this.previous = id;
    this.count++;
    this.sha.update(`${streamId}\t${version}\t${hash}\n`, 'utf8');
  }

  get streams(): number {
    return this.count;
  }

  /** The digest, lowercase hex; ends the feed. */
  digest(): string {
    return this.sha.digest('hex');
  }
}
