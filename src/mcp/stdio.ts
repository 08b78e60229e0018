/**
 * MCP over stdio, for desktop clients that spawn `engram mcp`. stdout carries only protocol messages, so
 * anything for humans goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './server.js';

/** Serves until stdin closes or the process is asked to stop; then closes the server and calls `onClose`. */
export async function serveStdio(
  options: McpServerOptions & { onClose?: () => Promise<void> },
): Promise<void> {
  const server = createMcpServer(options);
  const transport = new StdioServerTransport();
  let stopping = false;
  const finished = new Promise<void>((resolve) => {
    const stop = () => {
      // Closing the server closes the transport, which calls stop again: the flag is set before anything runs.
      if (stopping) return;
      stopping = true;
      void (async () => {
        try {
          await server.close();
        } finally {
          await options.onClose?.();
          resolve();
        }
      })();
    };
    transport.onclose = stop;
    process.stdin.once('end', stop);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await server.connect(transport);
  await finished;
}
