/**
 * Starting and stopping the server process: open the database, listen, and on SIGTERM/SIGINT stop accepting,
 * let in-flight requests (writes included) finish, then close the database cleanly.
 */
import type { DestinationStream } from 'pino';
import { EngramError, ErrorCodes } from '../core/errors.js';
import { countTokens } from '../text/tokens.js';
import { buildServer } from './app.js';
import type { ServerConfig } from './config.js';
import { openDatabase } from './database.js';

export interface RunningServer {
  url: string;
  port: number;
  authRequired: boolean;
  /** Stops accepting, waits for in-flight requests (up to shutdownTimeoutMs), closes the database. */
  close(reason?: string): Promise<void>;
  /** Resolves once the server has fully stopped. */
  closed: Promise<void>;
}

export interface StartOptions {
  logStream?: DestinationStream;
  version?: string;
  /** Stop on SIGTERM/SIGINT (the CLI does; tests that start several servers in one process do not). */
  handleSignals?: boolean;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const { engram, keys, path } = await openDatabase(config);
  // The token counter loads its BPE table (~0.5-1 s, synchronous) on first use: pay it before listening, not
  // inside the first context request, where it would stall every other request.
  countTokens('warm up');
  let built: Awaited<ReturnType<typeof buildServer>>;
  try {
    built = await buildServer({
      engram,
      keys,
      config,
      logStream: options.logStream,
      version: options.version,
    });
    await built.app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await keys.close();
    await engram.close();
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      throw new EngramError(
        ErrorCodes.CONFLICT,
        `Port ${config.port} on ${config.host} is already in use; stop the other server or choose another with --port.`,
      );
    }
    throw e;
  }
  const { app } = built;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  app.log.info(
    {
      url,
      port,
      db: path,
      auth: built.authRequired ? 'keys' : 'none',
      mcp: config.mcp ? `${url}/mcp` : null,
    },
    'engram server started',
  );
  if (!built.authRequired) {
    app.log.warn(
      { host: config.host },
      `development mode: no API key required and every request acts on tenant "default". Bound to ${config.host} only; ` +
        'create a key (engram keys create --tenant T --role admin) to require keys.',
    );
  }

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing: Promise<void> | null = null;

  const close = (reason = 'close'): Promise<void> => {
    closing ??= (async () => {
      app.log.info(
        { reason, inFlight: built.inFlight() },
        'shutting down: no new connections, finishing in-flight requests',
      );
      // Keep-alive sockets that go idle after their last response would hold server.close() open until
      // keepAliveTimeout; closing idle ones as they appear lets shutdown end as soon as the work is done.
      const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        app.close().then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), config.shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      clearInterval(sweeper);
      if (timedOut) {
        app.log.warn({ inFlight: built.inFlight() }, 'shutdown timeout: closing remaining connections');
        app.server.closeAllConnections();
      }
      await keys.close();
      await engram.close();
      app.log.info('database closed; bye');
      resolveClosed();
    })();
    return closing;
  };

  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      void close(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    void closed.then(() => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
    });
  }

  return { url, port, authRequired: built.authRequired, close, closed };
}
