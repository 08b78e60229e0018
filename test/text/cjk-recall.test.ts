import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { analyze, analyzeQuery } from '../../src/text/analyzer.js';

const NOTES = [
  '我对青霉素过敏',
  '我喜欢吃四川火锅',
  '我的猫叫咪咪，今年三岁',
  '我住在上海浦东',
  '我在一家银行工作',
  '我女儿叫小雨，五月满七岁',
  '上周六我们去了杭州西湖',
  '我每天早上跑步五公里',
  '我的生日是十月十二日',
  '我最喜欢的电影是《千与千寻》',
  '我正在学习日语',
  '我哥哥是医生',
  '我对猫毛也有点过敏',
  '我周末经常去图书馆看书',
  '我开一辆白色的特斯拉',
  '明年我打算去日本旅游',
  '我的手机是华为的',
  '我每周三晚上打羽毛球',
  '我不吃香菜',
  '小猫咪今天打了疫苗',
  'I moved to Berlin in May 2023',
  '我的 Python 项目用 FastAPI 写的',
];

/** FTS5 query for a list of terms: each quoted, any may match. */
function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t}"`).join(' OR ');
}

describe('Chinese recall through a real FTS5 unicode61 index', () => {
  let db: Database.Database;
  let search: (query: string) => string[];

  before(() => {
    db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE notes USING fts5(terms, tokenize='unicode61');`);
    const insert = db.prepare('INSERT INTO notes(rowid, terms) VALUES (?, ?)');
    for (const [i, note] of NOTES.entries()) insert.run(i + 1, analyze(note).join(' '));
    const select = db.prepare('SELECT rowid FROM notes WHERE notes MATCH ? ORDER BY bm25(notes) LIMIT 3');
    search = (query) =>
      (select.all(ftsQuery(analyzeQuery(query))) as { rowid: number }[]).map((r) => NOTES[r.rowid - 1]);
  });
  after(() => db.close());

  it('shares the word and bigram 过敏 between question and note', () => {
    const index = new Set(analyze('我对青霉素过敏'));
    const shared = analyzeQuery('对什么药过敏').filter((t) => index.has(t));
    assert.deepEqual(shared, ['过敏']);
  });

  it('「对什么药过敏」 finds 「我对青霉素过敏」 first', () => {
    const hits = search('对什么药过敏');
    assert.equal(hits[0], '我对青霉素过敏');
    assert.ok(hits.includes('我对猫毛也有点过敏'));
  });

  it('finds notes whatever the segmenter did to the words', () => {
    assert.equal(search('我的猫叫什么名字')[0], '我的猫叫咪咪，今年三岁');
    assert.equal(search('我住在哪里')[0], '我住在上海浦东');
    assert.equal(search('我哥哥做什么工作')[0], '我哥哥是医生');
    assert.equal(search('羽毛球')[0], '我每周三晚上打羽毛球');
  });

  it('lets a one-character query word find a longer word through Han unigrams', () => {
    assert.ok(search('猫').includes('小猫咪今天打了疫苗'));
  });

  it('handles mixed Chinese and English queries and notes', () => {
    assert.equal(search('Python 项目')[0], '我的 Python 项目用 FastAPI 写的');
    assert.equal(search('when did I move to Berlin')[0], 'I moved to Berlin in May 2023');
    assert.equal(search('五月搬到 Berlin')[0], 'I moved to Berlin in May 2023');
  });
});
