/** MCP clients for tests: the SDK's own Client over a real stdio child process or over HTTP. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { engramBin } from '../server/helpers.js';

export async function stdioClient(args: string[], env: Record<string, string> = {}): Promise<Client> {
  const bin = engramBin();
  const transport = new StdioClientTransport({
    command: bin.command,
    args: [...bin.args, ...args],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'engram-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export async function httpClient(url: string, key?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), {
    requestInit: key ? { headers: { authorization: `Bearer ${key}` } } : {},
  });
  const client = new Client({ name: 'engram-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** The text of a tool result (all text parts joined). */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
}
