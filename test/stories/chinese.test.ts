import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStory, type Story, texts } from './story.js';

describe('story: Chinese statements', () => {
  let story: Story;
  before(async () => {
    story = await openStory();
  });
  after(async () => {
    await story.close();
  });

  it('before the move: 北京, and facts kept in Chinese', async () => {
    await story.session('s1', '2023-01-10T09:00:00Z', [
      ['小王', '我住在北京。'],
      ['小王', '我对青霉素过敏。'],
    ]);
    const home = await story.search('小王住在哪里');
    assert.equal(home[0]?.text, '小王住在北京。', texts(home));
    const allergy = await story.search('对什么药过敏');
    assert.ok(
      allergy.some((h) => h.text === '小王对青霉素过敏。'),
      texts(allergy),
    );
    assert.equal(allergy.find((h) => h.kind === 'fact')?.metadata.language, 'zh');
  });

  it('after 「我搬到了上海」: 上海 is current, 北京 history', async () => {
    await story.session('s2', '2023-05-25T09:00:00Z', [['小王', '上个月我搬到了上海。']]);
    const home = await story.search('小王住在哪里');
    assert.equal(home[0]?.text, '小王住在上海（2023年4月搬过去的）。', texts(home));
    assert.ok(
      home.every((h) => !h.text.includes('北京')),
      texts(home),
    );
    const past = await story.search('小王住在哪里', { includeSuperseded: true });
    assert.ok(
      past.some((h) => h.text === '小王住在北京。'),
      texts(past),
    );
    const ctx = await story.context('小王住在哪里？');
    assert.equal(ctx.facts[0]?.text, '小王住在上海（2023年4月搬过去的）。', ctx.text);
    assert.ok(!ctx.text.includes('小王住在北京'), ctx.text);
  });
});
