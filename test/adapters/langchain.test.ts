import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentInterface } from '@langchain/core/documents';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableLambda, RunnableSequence, RunnableWithMessageHistory } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { EngramChatMessageHistory, EngramRetriever } from '../../src/adapters/langchain.js';
import { open } from '../../src/memory/open.js';

/** The real @langchain/core 1 with its own fake chat model: no network. */
describe('engram-memory/langchain', () => {
  it('EngramRetriever returns memories as Documents and runs in a chain', async () => {
    const memory = await open({ path: ':memory:', embedder: 'none' });
    try {
      const kept = await memory.add({
        user: 'oskar',
        text: 'Oskar repairs vintage typewriters',
        kind: 'fact',
      });
      await memory.add({ user: 'oskar', text: 'Oskar hates cold coffee', kind: 'fact' });
      await memory.add({ user: 'someone-else', text: 'Vera repairs typewriters too', kind: 'fact' });
      const retriever = new EngramRetriever({ memory, user: 'oskar', k: 1 });
      const docs = await retriever.invoke('what does Oskar repair?');
      assert.equal(docs.length, 1);
      assert.equal(docs[0]!.pageContent, 'Oskar repairs vintage typewriters');
      assert.equal(docs[0]!.id, kept.id);
      assert.equal(docs[0]!.metadata.kind, 'fact');

      const model = new FakeListChatModel({ responses: ['He repairs typewriters.'] });
      const prompt = ChatPromptTemplate.fromMessages([
        ['system', 'Memories:\n{context}'],
        ['human', '{question}'],
      ]);
      const chain = RunnableSequence.from([
        {
          context: RunnableLambda.from((q: string) => q)
            .pipe(retriever)
            .pipe((d: DocumentInterface[]) => d.map((x) => x.pageContent).join('\n')),
          question: (q: string) => q,
        },
        prompt,
        model,
      ]);
      const answer = await chain.invoke('what does Oskar repair?');
      assert.equal(answer.content, 'He repairs typewriters.');
    } finally {
      await memory.close();
    }
  });

  it('EngramChatMessageHistory keeps a session as turns, in order, with RunnableWithMessageHistory', async () => {
    const memory = await open({ path: ':memory:', embedder: 'none' });
    try {
      const histories = new Map<string, EngramChatMessageHistory>();
      const history = (session: string) => {
        const known = histories.get(session);
        if (known) return known;
        const created = new EngramChatMessageHistory({ memory, user: 'oskar', session });
        histories.set(session, created);
        return created;
      };
      const model = new FakeListChatModel({
        responses: ['Nice to meet you, Oskar.', 'You repair typewriters.'],
      });
      const prompt = ChatPromptTemplate.fromMessages([
        new MessagesPlaceholder('history'),
        ['human', '{input}'],
      ]);
      const chat = new RunnableWithMessageHistory({
        runnable: prompt.pipe(model),
        getMessageHistory: history,
        inputMessagesKey: 'input',
        historyMessagesKey: 'history',
      });
      const config = { configurable: { sessionId: 'workshop' } };
      await chat.invoke({ input: 'Hi, I am Oskar and I repair typewriters.' }, config);
      await chat.invoke({ input: 'What do I repair?' }, config);

      const messages = await history('workshop').getMessages();
      assert.deepEqual(
        messages.map((m) => [m.getType(), m.text]),
        [
          ['human', 'Hi, I am Oskar and I repair typewriters.'],
          ['ai', 'Nice to meet you, Oskar.'],
          ['human', 'What do I repair?'],
          ['ai', 'You repair typewriters.'],
        ],
      );
      // The conversation is long-term memory too: searchable like any turn.
      const hits = await memory.search('typewriters', { user: 'oskar', kind: 'turn' });
      assert.ok(hits.some((h) => h.session === 'workshop'));

      await history('workshop').addMessages([new HumanMessage('One more.'), new AIMessage('Sure.')]);
      assert.equal((await history('workshop').getMessages()).length, 6);
      await history('workshop').clear();
      assert.deepEqual(await history('workshop').getMessages(), []);
      // Deleted is soft: the turns stay in their history.
      const deleted = await memory.list({
        user: 'oskar',
        session: 'workshop',
        kind: 'turn',
        includeDeleted: true,
      });
      assert.equal(deleted.items.length, 6);
    } finally {
      await memory.close();
    }
  });
});
