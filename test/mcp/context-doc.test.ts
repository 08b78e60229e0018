/** docs/mcp.md describes what get_context really returns (issue 12, item 7). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { api, startTestServer } from '../server/helpers.js';
import { httpClient, textOf } from './helpers.js';

test('get_context returns the <memory> block that docs/mcp.md shows, line for line in form', async () => {
  const doc = readFileSync('docs/mcp.md', 'utf8');
  const example = /```text\n(<memory>[\s\S]*?<\/memory>)\n```/.exec(doc)?.[1];
  assert.ok(example, 'docs/mcp.md shows a get_context example');
  const s = await startTestServer({ logLevel: 'silent' });
  try {
    await api(s.url, 'POST', '/v1/memories', {
      body: { user: 'me', kind: 'fact', text: 'Maya is allergic to penicillin', occurredAt: '2024-06-20' },
    });
    await api(s.url, 'POST', '/v1/conversations', {
      body: {
        user: 'me',
        session: 's1',
        messages: [
          {
            speaker: 'Maya',
            role: 'user',
            text: 'I moved to Montreal last week.',
            at: '2024-06-20T20:10:00Z',
          },
        ],
      },
    });
    const client = await httpClient(s.url);
    try {
      const out = textOf(
        await client.callTool({
          name: 'get_context',
          arguments: { user: 'me', query: 'Maya allergic Montreal' },
        }),
      );
      const lines = out.split('\n');
      const docLines = example.split('\n');
      assert.equal(lines[0], docLines[0]);
      assert.equal(lines[1], docLines[1], 'the note line');
      assert.equal(lines.at(-1), '</memory>');
      assert.ok(lines.includes('Known facts (current):'));
      assert.ok(lines.includes('Conversation excerpts:'));
      assert.ok(lines.includes('- (2024-06-20) "Maya is allergic to penicillin"'), out);
      assert.ok(
        lines.includes(
          '- (2024-06-20 20:10, session s1; happened 2024-06-10..2024-06-16) Maya: "I moved to Montreal last week."',
        ),
        out,
      );
      const source = readFileSync('src/memory/lifecycle/context.ts', 'utf8');
      for (const heading of docLines.filter((l) => l.endsWith(':'))) {
        assert.ok(source.includes(`'${heading}'`), heading);
      }
    } finally {
      await client.close();
    }
  } finally {
    await s.stop();
  }
});
