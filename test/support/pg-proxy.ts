import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between an app and PostgreSQL that a test can break at an
 * exact point of the protocol, on the connection whose transaction carried a
 * marker (a scan id, in its statements' parameters): at its COMMIT, or while
 * it sits idle in its transaction. Nothing else on the shared server is
 * touched (no restart, no other backend terminated), and the break lands on
 * the command's own transaction, not on a projection's.
 */

/** How TypeORM commits: a simple-protocol Query message, 'Q', its length (4 + 7), "COMMIT\0". */
const COMMIT = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')]);
/** BackendKeyData, sent once at start-up: 'K', its length (12), the backend's process id, its secret. */
const BACKEND_KEY_DATA = Buffer.from([0x4b, 0, 0, 0, 12]);

/** One proxied connection: the app's side, the server's side, and holding what the server says. */
interface Proxied {
  readonly app: Socket;
  readonly db: Socket;
  /** The server process behind it (for pg_terminate_backend), as the server said at start-up. */
  readonly pid: () => number;
  /** From now on, what the server sends (and its closing) waits; the returned function passes it all on. */
  holdAnswers(): () => void;
}

interface Armed {
  readonly marker: Buffer;
  /** Right after the connection sent the chunk that carried the marker. */
  readonly carried?: (c: Proxied) => void;
  /** When it sends its COMMIT: `commit` is that message and what followed it, not sent yet (what preceded it was). */
  readonly commit?: (c: Proxied, commit: Buffer) => void;
}

export interface Held {
  /** Resolves once the hold has begun, with the process id of the backend held. */
  readonly reached: Promise<number>;
  /** Ends the hold: what was held goes on. */
  release(): void;
}

export interface PgProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  readonly url: (databaseUrl: string) => string;
  /**
   * Cuts the connection that carried `marker` at its COMMIT, and resolves once done:
   * - `before-commit`: the COMMIT never reaches the server (which rolls back);
   * - `after-commit`: the server gets the COMMIT and carries it out, but its answer never reaches
   *   the app: the outcome the app cannot know.
   */
  cutAtCommit(marker: string, mode: 'before-commit' | 'after-commit'): Promise<void>;
  /** Holds the COMMIT of the connection that carried `marker` until released (meanwhile the test may end that backend). */
  holdCommit(marker: string): Held;
  /**
   * Holds what the server sends on the connection that carried `marker`, from the statement
   * that carried it, until released: the transaction sits idle on the server meanwhile (the
   * test may end that backend), and what the server said reaches the app in one piece.
   */
  holdAnswers(marker: string): Held;
  close(): Promise<void>;
}

export const startPgProxy = async (target: { host: string; port: number }): Promise<PgProxy> => {
  const sockets = new Set<Socket>();
  let armed: Armed | null = null;

  const server: Server = createServer((app) => {
    const db = createConnection(target);
    sockets.add(app).add(db);
    app.on('close', () => sockets.delete(app));
    db.on('close', () => sockets.delete(db));
    app.on('error', () => db.destroy());
    db.on('error', () => app.destroy());
    app.on('end', () => db.end());

    let held: Buffer[] | null = null;
    let dbEnded = false;
    let pid = 0;
    db.on('data', (chunk: Buffer) => {
      const key = pid === 0 ? chunk.indexOf(BACKEND_KEY_DATA) : -1;
      if (key >= 0 && chunk.length >= key + 9) pid = chunk.readInt32BE(key + 5);
      if (held === null) app.write(chunk);
      else held.push(chunk);
    });
    db.on('end', () => {
      dbEnded = true;
      if (held === null) app.end();
    });
    const proxied: Proxied = {
      app,
      db,
      pid: () => pid,
      holdAnswers: () => {
        const chunks: Buffer[] = [];
        held = chunks;
        return () => {
          held = null;
          if (chunks.length > 0) app.write(Buffer.concat(chunks));
          if (dbEnded) app.end();
        };
      },
    };

    // What this connection sent lately (a marker may span two chunks), and which arming's marker it carried.
    let tail = Buffer.alloc(0);
    let carriedFor: Armed | null = null;
    app.on('data', (chunk: Buffer) => {
      const arm = armed;
      if (arm === null) return void db.write(chunk);
      const window = Buffer.concat([tail, chunk]);
      tail = window.subarray(Math.max(0, window.length - 256));
      const carried = carriedFor === arm;
      if (!carried && window.includes(arm.marker)) {
        carriedFor = arm;
        if (arm.carried) {
          armed = null;
          arm.carried(proxied);
          return void db.write(chunk);
        }
      }
      // pg writes a simple query in one piece: a COMMIT is whole in the chunk that has it.
      const start = carriedFor === arm && arm.commit ? chunk.indexOf(COMMIT) : -1;
      if (start < 0) return void db.write(chunk);
      armed = null;
      db.write(chunk.subarray(0, start));
      arm.commit!(proxied, chunk.subarray(start));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  /** Arms a hold; `ready` is called with the connection's backend and what ends the hold, once it has begun. */
  const hold = (marker: string, arm: (ready: (pid: number, release: () => void) => void) => Omit<Armed, 'marker'>): Held => {
    let release: () => void = () => undefined;
    const reached = new Promise<number>((resolve) => {
      armed = {
        marker: Buffer.from(marker, 'utf8'),
        ...arm((pid, r) => {
          release = r;
          resolve(pid);
        }),
      };
    });
    return { reached, release: () => release() };
  };

  return {
    url: (databaseUrl) => {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cutAtCommit: (marker, mode) =>
      new Promise<void>((done) => {
        armed = {
          marker: Buffer.from(marker, 'utf8'),
          commit: ({ app, db }, commit) => {
            if (mode === 'before-commit') {
              app.destroy();
              db.destroy();
              return done();
            }
            // The server gets the COMMIT; the app's side is gone before any answer, the server's
            // side is closed once it has answered (so the COMMIT was surely carried out).
            db.removeAllListeners('data');
            db.removeAllListeners('end');
            db.write(commit.subarray(0, COMMIT.length));
            app.destroy();
            db.once('data', () => {
              db.end();
              done();
            });
          },
        };
      }),
    holdCommit: (marker) =>
      hold(marker, (ready) => ({
        commit: ({ app, db, pid }, commit) => {
          app.pause();
          ready(pid(), () => {
            if (db.writable) db.write(commit);
            app.resume();
          });
        },
      })),
    holdAnswers: (marker) =>
      hold(marker, (ready) => ({
        carried: (c) => ready(c.pid(), c.holdAnswers()),
      })),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
