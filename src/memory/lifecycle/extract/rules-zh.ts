import type { Subject } from './rules-en.js';
import { absolutize, resolveStatementDates, type StatementDate } from './statement-dates.js';
import type { ExtractedFact } from './types.js';

/**
 * Chinese rules. Chinese has no inflection, so a clause is "我" (or 我的<relation><name>) followed by a
 * predicate, with time words anywhere before the verb; facts keep the speaker's own wording with 我 replaced
 * by the subject's name and relative times made absolute.
 */
type Draft = Omit<ExtractedFact, 'turn' | 'language'>;

const RELATIONS =
  '女儿|儿子|孩子|妻子|老婆|太太|丈夫|老公|先生|男朋友|女朋友|未婚夫|未婚妻|姐姐|妹妹|哥哥|弟弟|妈妈|母亲|爸爸|父亲|奶奶|爷爷|外婆|外公|朋友|好朋友|老板|同事|室友';
const PETS = '狗|小狗|猫|小猫|猫咪|仓鼠|兔子|鹦鹉|鸟|鱼|金鱼|乌龟|蛇|马';
const JOB_SUFFIX =
  /(师|员|生|家|医生|护士|经理|老板|工程师|司机|厨师|记者|作家|律师|教授|画家|歌手|演员|警察|主管|总监|顾问|助理|学生)$/;
const CONDITIONS =
  '糖尿病|哮喘|高血压|癌症|关节炎|抑郁症|焦虑症|失眠|偏头痛|心脏病|湿疹|过敏性鼻炎|乳糖不耐受';
/** Time words that may stand between 我 and the verb. */
const TIME_PREFIX =
  /^(?:(?:最近|刚刚|刚|已经|现在|目前|如今|今年|去年|明年|上个?月|下个?月|这个?月|上周[一二三四五六日天]?|下周[一二三四五六日天]?|这周[一二三四五六日天]?|周[一二三四五六日天]|星期[一二三四五六日天]|昨天|今天|明天|前天|后天|[0-9〇零一二两三四五六七八九十]+(?:个)?(?:天|周|星期|月|年)(?:前|后|以前|以后|之前|之后)|[0-9〇零一二两三四五六七八九十]+月(?:[0-9〇零一二两三四五六七八九十]+[日号])?|也|还|就|终于|一直|正在|真的|非常|特别)\s*)+/;

interface Clause {
  said: Date;
  subject: Subject;
  predicate: string;
  clause: string;
  firstPerson: boolean;
}

function analyseClause(raw: string, speaker: Subject, said: Date, facts: Draft[]): Clause | null {
  const clause = raw.replace(/^(?:嗯|哦|对了|其实|另外|而且|所以|但是|不过|好消息)[，,！!]?/, '').trim();
  // Time words may come first: 上周六我去了…
  const lead = TIME_PREFIX.exec(clause)?.[0] ?? '';
  const rest = clause.slice(lead.length);
  let m = new RegExp(
    `^我的?(${RELATIONS})(?:叫|名叫)?([\\p{Script=Han}A-Za-z]{0,4}?)(?=在|住|是|对|喜欢|爱|今年|明年|下个?月|要|会|[0-9〇零一二两三四五六七八九十]+岁|满|过)(.*)$`,
    'u',
  ).exec(rest);
  if (m) {
    const relation = m[1]!;
    const name = m[2]?.trim();
    if (name) {
      facts.push({
        subject: speaker.key,
        attribute: `has_${relation}`,
        value: name,
        text: `${speaker.display}的${relation}叫${name}。`,
      });
      return {
        said,
        subject: { key: name, display: name },
        predicate: lead + m[3]!,
        clause,
        firstPerson: false,
      };
    }
    return {
      said,
      subject: { key: `${speaker.key}'s ${relation}`, display: `${speaker.display}的${relation}` },
      predicate: lead + m[3]!,
      clause,
      firstPerson: false,
    };
  }
  m = /^我们?(.*)$/.exec(rest);
  if (m && !/^(?:的|们的)/.test(m[1]!))
    return { said, subject: speaker, predicate: (lead + m[1]!).trim(), clause, firstPerson: true };
  return null;
}

interface Rule {
  re: RegExp;
  build(m: RegExpExecArray, c: Clause, dates: StatementDate[]): Draft[] | null;
}

const TERM = '([^，,。！？!?；;、]+?)';
const END = '(?=[，,。！？!?；;、]|了|$)';

function dated(d: Draft, dates: StatementDate[]): Draft {
  return dates.length > 0 ? { ...d, eventDate: dates[0]!.date, dateGranularity: dates[0]!.granularity } : d;
}

/** The clause with 我 replaced by the subject and relative times absolute. */
function rewrite(c: Clause, dates: StatementDate[]): string {
  let text = absolutize(c.clause, dates);
  if (c.firstPerson) {
    text = text.replace(/我们/g, `${c.subject.display}他们`).replace(/我/g, c.subject.display);
    // "Alice2023年5月20日去了…" reads as one word; 在 separates the name from the date.
    text = text.replace(new RegExp(`^(${escapeRegExp(c.subject.display)})(?=\\d{4}年)`), '$1在');
  }
  return /[。！？!?]$/.test(text) ? text : `${text}。`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const RULES: Rule[] = [
  {
    re: new RegExp(`^(?:.*?)(?:搬到了|搬到|搬去了|搬去|搬家到了?|移居到?)${TERM}${END}`),
    build: (m, c, dates) => [
      dated(
        {
          subject: c.subject.key,
          attribute: 'lives_in',
          value: m[1]!,
          text: `${c.subject.display}住在${m[1]}（${dates[0] ? `${dates[0].absolute}` : '最近'}搬过去的）。`,
        },
        dates,
      ),
    ],
  },
  {
    re: new RegExp(`^(?:.*?)(?:住在|生活在|定居在|住)${TERM}${END}`),
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: 'lives_in',
        value: m[1]!,
        text: `${c.subject.display}住在${m[1]}。`,
      },
    ],
  },
  {
    re: new RegExp(`^(?:.*?)(?:来自|老家是|老家在|出生在|是)${TERM}人?${END}`),
    build: (m, c) => {
      const place = m[1]!.replace(/人$/, '');
      if (
        !/(来自|老家|出生)/.test(m[0]) &&
        !/人$/.test(m[1]!) &&
        !/人/.test(c.predicate.slice(m[0].length, m[0].length + 1))
      )
        return null;
      if (JOB_SUFFIX.test(place) || place.length > 8) return null;
      return [
        {
          subject: c.subject.key,
          attribute: 'hometown',
          value: place,
          text: `${c.subject.display}来自${place}。`,
        },
      ];
    },
  },
  {
    re: new RegExp(`^(?:.*?)在${TERM}(?:工作|上班|任职)${END}`),
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: 'works_at',
        value: m[1]!,
        text: `${c.subject.display}在${m[1]}工作。`,
      },
    ],
  },
  {
    re: new RegExp(`^(?:.*?)(?:加入了|入职了?|跳槽到了?)${TERM}${END}`),
    build: (m, c, dates) => [
      dated(
        {
          subject: c.subject.key,
          attribute: 'works_at',
          value: m[1]!,
          text: `${c.subject.display}在${m[1]}工作（${dates[0]?.absolute ?? '最近'}入职）。`,
        },
        dates,
      ),
    ],
  },
  {
    re: /^(?:.*?)(?:辞职了|离职了|失业了)/,
    build: (_m, c) => [
      {
        subject: c.subject.key,
        attribute: 'works_at',
        value: '无',
        text: `${c.subject.display}已经离职了。`,
      },
    ],
  },
  {
    re: new RegExp(`^(?:现在|目前)?(?:是|当|做)(?:一名|一个|一位|个|名)?${TERM}${END}`),
    build: (m, c) => {
      const job = m[1]!;
      if (!JOB_SUFFIX.test(job) || job.length > 8) return null;
      return [
        { subject: c.subject.key, attribute: 'job', value: job, text: `${c.subject.display}是${job}。` },
      ];
    },
  },
  {
    re: /^(?:今年)?([0-9一二两三四五六七八九十]+)岁(?!生日)/,
    build: (m, c) => [
      { subject: c.subject.key, attribute: 'age', value: m[1]!, text: `${c.subject.display}${m[1]}岁。` },
    ],
  },
  {
    re: /^(.*?)(?:满|就)?([0-9一二两三四五六七八九十]+)岁(?:了)?$/,
    build: (m, c, dates) => {
      if (dates.length === 0 || !/(要|会|将|就|满)/.test(c.predicate)) return null;
      const v = `${m[2]}岁（${dates[0]!.absolute}）`;
      return [
        dated(
          {
            subject: c.subject.key,
            attribute: 'turns_age',
            value: v,
            text: `${c.subject.display}${dates[0]!.absolute}满${m[2]}岁。`,
          },
          dates,
        ),
      ];
    },
  },
  {
    re: new RegExp(`^(?:.*?)对${TERM}过敏`),
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: 'allergy',
        value: m[1]!,
        text: `${c.subject.display}对${m[1]}过敏。`,
      },
    ],
  },
  {
    re: new RegExp(`^(?:.*?)(?:有|患有|得了|被诊断出)(${CONDITIONS})`),
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: 'condition',
        value: m[1]!,
        text: `${c.subject.display}患有${m[1]}。`,
      },
    ],
  },
  {
    re: /^(?:.*?)(吃素|是素食者|是素食主义者)/,
    build: (_m, c) => [
      { subject: c.subject.key, attribute: 'diet', value: '素食', text: `${c.subject.display}吃素。` },
    ],
  },
  {
    re: /^(?:.*?)(?:(?:和|跟)([\p{Script=Han}A-Za-z]{1,4}?))?(结婚了|已婚|离婚了|单身|订婚了|分手了|恢复单身)/u,
    build: (m, c) => {
      const status = {
        结婚了: '已婚',
        已婚: '已婚',
        离婚了: '离婚',
        单身: '单身',
        订婚了: '订婚',
        分手了: '单身',
        恢复单身: '单身',
      }[m[2]!]!;
      const phrase = { 单身: '现在单身', 离婚: '离婚了', 订婚: '订婚了', 已婚: '已婚' }[status];
      const out: Draft[] = [
        {
          subject: c.subject.key,
          attribute: 'relationship_status',
          value: status,
          text: `${c.subject.display}${phrase}。`,
        },
      ];
      if (status === '单身' || status === '离婚') {
        out.push({
          subject: c.subject.key,
          attribute: 'partner',
          value: '无',
          text: `${c.subject.display}${m[1] ? `已经和${m[1]}分开，` : ''}现在没有伴侣。`,
        });
      } else if (m[1]) {
        out.push({
          subject: c.subject.key,
          attribute: 'partner',
          value: m[1],
          text: `${c.subject.display}的伴侣是${m[1]}。`,
        });
      }
      return out;
    },
  },
  {
    re: /^(?:.*?)(?:在)?(?:和|跟)([\p{Script=Han}A-Za-z]{1,4}?)(?:在)?(?:谈恋爱|交往|约会)/u,
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: 'relationship_status',
        value: '恋爱中',
        text: `${c.subject.display}在和${m[1]}谈恋爱。`,
      },
      {
        subject: c.subject.key,
        attribute: 'partner',
        value: m[1]!,
        text: `${c.subject.display}的伴侣是${m[1]}。`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:.*?)(?:有|养了|领养了|买了)(?:一|两|三|[0-9]+)?(?:只|条|匹|个)?(${PETS})(?:，|,)?(?:叫|名叫)?([\\p{Script=Han}A-Za-z]{0,4})`,
      'u',
    ),
    build: (m, c) => {
      const pet = m[1]!;
      const name = m[2] || null;
      return [
        {
          subject: c.subject.key,
          attribute: 'has_pet',
          value: name ? `${pet}${name}` : pet,
          text: name ? `${c.subject.display}有一只${pet}，叫${name}。` : `${c.subject.display}有一只${pet}。`,
        },
      ];
    },
  },
  {
    re: /^(?:.*?)(?:买了|有)(?:一|两)?(?:辆|台|套|架|部)(?:新)?([^，,。！？!?；;]{1,8}?)(?=[，,。！？!?；;]|$)/,
    build: (m, c, dates) => [
      dated(
        { subject: c.subject.key, attribute: 'owns', value: m[1]!, text: `${c.subject.display}有${m[1]}。` },
        dates,
      ),
    ],
  },
  {
    re: new RegExp(`^(?:.*?)最喜欢的${TERM}是${TERM}${END}`),
    build: (m, c) => [
      {
        subject: c.subject.key,
        attribute: `favourite_${m[1]}`,
        value: m[2]!,
        text: `${c.subject.display}最喜欢的${m[1]}是${m[2]}。`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:.*?)(不再喜欢|不喜欢|讨厌|受不了|不爱|很喜欢|非常喜欢|特别喜欢|最喜欢|喜欢|热爱|爱)(?:上了|上)?${TERM}${END}`,
    ),
    build: (m, c) => {
      const verb = m[1]!;
      const object = m[2]!.replace(/了$/, '');
      if (/^(你|他|她|它|这|那|这个|那个)$/.test(object)) return null;
      const likes = !/(不|讨厌|受不了)/.test(verb);
      const text = likes
        ? `${c.subject.display}喜欢${object}。`
        : `${c.subject.display}${verb === '不再喜欢' ? '不再喜欢' : '不喜欢'}${object}。`;
      return [
        { subject: c.subject.key, attribute: `opinion:${object}`, value: likes ? 'likes' : 'dislikes', text },
      ];
    },
  },
  {
    re: /^(?:.*?)(?:打算|计划|准备|想要|要|将要|将)(.{2,})$/,
    build: (m, c, dates) => [
      dated(
        {
          subject: c.subject.key,
          attribute: 'plan',
          value: absolutize(m[1]!, resolveStatementDates(m[1]!, c.said, 'zh', true)),
          text: rewrite(c, dates),
        },
        dates,
      ),
    ],
  },
];

function sentenceFacts(s: string, speaker: Subject): Draft[] {
  let m = /^我(?:叫|的名字是|名叫)([\p{Script=Han}A-Za-z]{1,6})(?=[，,。！？!?；;]|$)/u.exec(s);
  if (m)
    return [
      { subject: speaker.key, attribute: 'name', value: m[1]!, text: `${speaker.display}的名字是${m[1]}。` },
    ];
  m =
    /^我的?([^，,。！？!?；;]{1,8}?)(?:课|班)?(?:在|是)(?:每)?(周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天])/.exec(
      s,
    );
  if (m) {
    const thing = m[0].includes('课') && !m[1]!.endsWith('课') ? `${m[1]}课` : m[1]!;
    return [
      {
        subject: speaker.key,
        attribute: `schedule:${thing}`,
        value: m[2]!,
        text: `${speaker.display}的${thing}在${m[2]}。`,
      },
    ];
  }
  m =
    /^(?:其实|不对|抱歉|不好意思|我说错了|更正一下)[，,！!：:]?\s*(?:是|应该是)?([^，,。！？!?；;]{1,10}?)[，,]?\s*(?:不是|而不是)([^，,。！？!?；;]{1,10}?)[。！!]?$/.exec(
      s,
    );
  if (m)
    return [
      { subject: speaker.key, attribute: 'correction', value: m[1]!, text: s, correction: { from: m[2]! } },
    ];
  return [];
}

const EVENT_VERB =
  /(去了|参加了|看了|见了|买了|做了|完成了|开始了|学了|吃了|玩了|回了|到了|办了|庆祝了|参观了|画了|写了|读了)/;

export function extractChinese(sentence: string, speaker: Subject, said: Date): Draft[] {
  const facts: Draft[] = [];
  const s = sentence.replace(/[。！？!?]+$/, '').trim();
  facts.push(...sentenceFacts(s, speaker));
  if (facts.length > 0) return facts;
  for (const raw of s.split(
    /[，,；;]\s*(?=我|其实|另外|而且|但是|不过|所以|上|下|这|去年|明年|今年|昨天|今天|明天)/,
  )) {
    const c = analyseClause(raw, speaker, said, facts);
    if (!c) continue;
    const dates = resolveStatementDates(c.clause, said, 'zh');
    let matched = false;
    for (const rule of RULES) {
      const m = rule.re.exec(c.predicate);
      if (!m) continue;
      const drafts = rule.build(m, c, dates);
      if (!drafts) continue;
      facts.push(...drafts);
      matched = true;
      break;
    }
    if (!matched && c.firstPerson && dates.length > 0 && EVENT_VERB.test(c.predicate)) {
      const text = rewrite(c, dates);
      facts.push(
        dated({ subject: c.subject.key, attribute: 'event', value: text.replace(/。$/, ''), text }, dates),
      );
    }
  }
  return facts;
}
