import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Engram, open } from '../../src/index.js';

/** Chinese notes through the real engine (SQLite in memory, default embedder): BM25 over analysed CJK text. */
const CHINESE = [
  '我对青霉素过敏',
  '我每天晚上吃一片降压药',
  '我每天早上喝一杯咖啡',
  '我的猫叫小白，今年三岁了',
  '我在上海的一家银行工作',
  '周末我喜欢去爬山',
  '我女儿明年要上小学了',
  '我最喜欢的菜是红烧肉',
  '我的车是一辆白色的丰田',
  '我正在学习弹吉他',
  '我妈妈住在杭州',
  '我不吃香菜',
  '我的生日是十月五日',
  '我每周三晚上打羽毛球',
  '我去年去日本旅游了',
  '医生建议我少吃盐',
  '我哥哥是一名中学老师',
  '我住在北京朝阳区',
  '我正在准备英语考试',
  '我们家养了一只金毛犬',
  '我喜欢看科幻电影',
  '下个月我要去深圳出差',
];

const ENGLISH = [
  'I am allergic to peanuts',
  'My favourite sport is tennis',
  'I work as a nurse in a hospital',
  'My sister lives in Toronto',
  'I drink green tea every afternoon',
];

async function top(engram: Engram, user: string, query: string, k = 3): Promise<string[]> {
  const hits = await engram.search(query, { user, k, reinforce: false });
  return hits.map((h) => h.text);
}

describe('Chinese retrieval through the engine', () => {
  let engram: Engram;

  before(async () => {
    engram = await open({ path: ':memory:' });
    await engram.addMany(CHINESE.map((text) => ({ user: 'zh', kind: 'note' as const, text })));
    await engram.addMany(
      [...CHINESE, ...ENGLISH].map((text) => ({ user: 'mixed', kind: 'note' as const, text })),
    );
  });

  after(async () => {
    await engram.close();
  });

  it('「对什么药过敏」 finds 「我对青霉素过敏」 first', async () => {
    assert.equal((await top(engram, 'zh', '对什么药过敏'))[0], '我对青霉素过敏');
  });

  const cases: [string, string][] = [
    ['我的猫叫什么名字', '我的猫叫小白，今年三岁了'],
    ['我在哪里工作', '我在上海的一家银行工作'],
    ['我不吃什么', '我不吃香菜'],
    ['我的生日是哪天', '我的生日是十月五日'],
    ['我什么时候打羽毛球', '我每周三晚上打羽毛球'],
    ['我去哪里旅游了', '我去年去日本旅游了'],
    ['我妈妈住在哪里', '我妈妈住在杭州'],
    ['我在学什么乐器 吉他', '我正在学习弹吉他'],
    ['家里养了什么宠物', '我们家养了一只金毛犬'],
    ['出差去哪', '下个月我要去深圳出差'],
  ];
  for (const [query, expected] of cases) {
    it(`「${query}」 finds 「${expected}」 first`, async () => {
      assert.equal((await top(engram, 'zh', query))[0], expected);
    });
  }

  it('a query with no word in common with any note finds nothing lexically relevant first', async () => {
    const hits = await top(engram, 'zh', '股票投资');
    assert.ok(!hits.includes('我对青霉素过敏'));
  });

  it('mixed store: an English query finds the English note first, a Chinese one the Chinese note', async () => {
    assert.equal((await top(engram, 'mixed', 'What am I allergic to?'))[0], 'I am allergic to peanuts');
    assert.equal((await top(engram, 'mixed', '我对什么过敏'))[0], '我对青霉素过敏');
    assert.equal((await top(engram, 'mixed', 'Where does my sister live?'))[0], 'My sister lives in Toronto');
    assert.equal((await top(engram, 'mixed', '我哥哥做什么工作'))[0], '我哥哥是一名中学老师');
  });

  it('mixed store: a word found in one language only finds that note', async () => {
    const english = await top(engram, 'mixed', 'tennis', 1);
    assert.deepEqual(english, ['My favourite sport is tennis']);
    const chinese = await top(engram, 'mixed', '红烧肉', 1);
    assert.deepEqual(chinese, ['我最喜欢的菜是红烧肉']);
  });
});
