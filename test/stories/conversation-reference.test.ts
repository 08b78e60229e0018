import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

/* Three days of chat with an assistant; questions about the conversation itself. */
describe('story: "the first time we talked", "last time", "what did we talk about on …"', () => {
  let story: Story;
  before(async () => {
    story = await openStory({ now: '2024-03-10T12:00:00Z' });
    await story.session('2024-03-01', '2024-03-01T09:00:00Z', [
      ['Mei', '你好，我是美美，第一次来和你聊天。'],
      ['Assistant', '你好美美！我推荐你读《小王子》，很温暖的一本书。'],
    ]);
    await story.session('2024-03-04', '2024-03-04T09:00:00Z', [
      ['Mei', '今天我去公园跑步了，跑了五公里。'],
      ['Assistant', '太棒了，记得跑后拉伸。'],
    ]);
    await story.session('2024-03-08', '2024-03-08T09:00:00Z', [
      ['Mei', '最近工作压力大，老是失眠。'],
      ['Assistant', '睡前可以试试冥想，也推荐你读《正念的奇迹》。'],
    ]);
  });
  after(async () => {
    await story.close();
  });

  it('第一次聊天 finds the earliest session, and its recommendation first', async () => {
    const hits = await story.search('我们第一次聊天的时候你给我推荐了什么书？', {
      now: '2024-03-10T12:00:00Z',
    });
    assert.equal(hits[0]?.memory.session, '2024-03-01', texts(hits));
    assert.match(hits[0]?.text ?? '', /小王子/, texts(hits));
  });

  it('"last time we talked" finds the latest session before today', async () => {
    const hits = await story.search('Last time we talked, what was bothering me?', {
      now: '2024-03-10T12:00:00Z',
    });
    assert.equal(hits[0]?.memory.session, '2024-03-08', texts(hits));
  });

  it("我们3月4号聊了些什么 ranks that day's session as a whole", async () => {
    const hits = await story.search('我们3月4号聊了些什么？', { now: '2024-03-10T12:00:00Z' });
    const turns = hits.filter((h) => h.kind === 'turn').slice(0, 2);
    assert.deepEqual(
      turns.map((h) => h.memory.session),
      ['2024-03-04', '2024-03-04'],
      texts(hits),
    );
  });
});
