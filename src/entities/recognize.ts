/**
 * Entity recognition with rules, offline, in English and Chinese: who said a memory and who or what it is
 * about. People (the speaker, named people, kin referred to through the speaker: "my sister"), places,
 * organisations, pets, works (quoted or 《》 titles) and activities ("I love pottery", "went camping").
 *
 * Capitalisation is the main cue for names (src/text/names.ts); the word before a name tells a place ("in
 * Lisbon", "moved to Porto") and the word after it an organisation ("Acme Labs", "Riverside Hospital").
 * Coreference is the part that matters for memory: "I"/"my" is the speaker, and "my sister" is one entity
 * per speaker that a later "my sister Ana" links to Ana.
 */
import { extractNames } from '../text/names.js';
import type { EntityMention, EntityType } from './types.js';

const KIN_EN =
  'sister|brother|mom|mum|mother|dad|father|wife|husband|son|daughter|partner|boyfriend|girlfriend|fiance|fiancé|fiancee|fiancée|' +
  'best friend|friend|bestie|boss|manager|coworker|co-worker|colleague|roommate|flatmate|aunt|uncle|cousin|grandma|grandmother|' +
  'grandpa|grandfather|niece|nephew|neighbor|neighbour|therapist|doctor|mentor|teacher|coach';
const PETS_EN =
  'dog|puppy|pup|cat|kitten|kitty|hamster|parrot|rabbit|bunny|bird|fish|horse|turtle|snake|guinea pig';
const QUALIFIER =
  '(?:(?:older|younger|little|big|baby|twin|step|new|old|best|elder|oldest|youngest)[\\s-]+)?';

/** "my sister", "my younger sister Ana", "my dog, Max,", "my sister's name is Ana", "my cat named Luna". */
const MY_KIN = new RegExp(
  `\\b[Mm]y\\s+${QUALIFIER}(${KIN_EN}|${PETS_EN})\\b(?:(?:'s\\s+name\\s+is|\\s+(?:named|called)|,)?\\s+(\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\p{Ll}+)?))?`,
  'gu',
);
/** "Ana, my sister", "Ana is my sister". */
const NAME_IS_KIN = new RegExp(
  `\\b(\\p{Lu}\\p{Ll}+)(?:,|\\s+is)\\s+my\\s+${QUALIFIER}(${KIN_EN}|${PETS_EN})\\b`,
  'gu',
);
const PET_WORDS = new Set(PETS_EN.split('|'));

const FIRST_PERSON_EN = /\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself)\b/i;
const PLACE_BEFORE =
  /\b(?:[Ii]n|[Aa]t|[Tt]o|[Ff]rom|[Nn]ear|visited|visit|visiting|around|across|through|towards?)(?:\s+\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)*\s*(?:,|\s+and|\s+or))?\s*$/u;
/** A sentence-initial capitalised word is a name only when a verb of saying or doing follows it. */
const NAME_THEN_VERB =
  /^(?:['’]s\b|\s+(?:is|was|has|had|and|said|says|just|got|went|will|would|told|asked|wants|wanted|called|texted|started|moved|lives|lived|works|worked|loves|loved|likes|liked|found|made|came|comes|left|gave|took|bought|sent|visited|stayed|arrived|finished|thinks|thought|knows|needs|plays|played|can|could|did|does|never|always|also|finally)\b)/u;
/** "a rescue dog … His name is Pretzel", "our cat, called Miso". */
const PET_NAMED = new RegExp(
  `\\b(${PETS_EN})\\b[\\s\\S]{0,50}?(?:[Nn]ame is|named|called)\\s+(\\p{Lu}\\p{Ll}+)`,
  'gu',
);
const ORG_AFTER =
  /^\s+(?:Inc|Corp|Corporation|Ltd|LLC|Labs?|University|College|School|Academy|Institute|Company|Hospital|Clinic|Bank|Club|Foundation|Center|Centre|Group|Studio|Studios|Cafe|Café|Restaurant|Agency|Museum|Library|Church|Team)\b/;
const WORK_CUE =
  /\b(?:book|novel|story|movie|film|show|series|song|album|track|poem|play|game|podcast|painting|read|reading|watched|watching|listened|listening|sing|singing|wrote|writing)\b/i;
const QUOTED = /["“]([^"”]{2,60})["”]/g;
/** Gerunds after a liking or doing verb: "I love pottery" has no gerund, "love painting" has. */
const ACTIVITY_EN =
  /\b(?:love|loves|loved|enjoy|enjoys|enjoyed|like|likes|liked|started|start|tried|try|trying|took up|take up|into|practice|practise|practicing|practising|go|goes|went|going|gone|doing|did|do|does|hobby is|hobbies are)\s+(?:to\s+)?(\p{Ll}+ing)\b/giu;
const ACTIVITY_CLASS =
  /\b(\p{Ll}+(?:ing|ery|ry|ga|ts))\s+(?:class|classes|lessons|club|practice|workshop)\b/giu;
const NOT_ACTIVITY = new Set([
  'going',
  'doing',
  'being',
  'having',
  'getting',
  'thinking',
  'something',
  'nothing',
  'anything',
  'everything',
  'morning',
  'evening',
  'thing',
  'feeling',
  'trying',
  'saying',
  'looking',
  'making',
  'wondering',
  'planning',
  'hoping',
  'telling',
  'talking',
  'working',
  'coming',
  'bring',
  'king',
  'spring',
  'ring',
  'sing',
  'wedding',
  'meeting',
  'building',
  'during',
  'amazing',
  'interesting',
  'exciting',
  'seeing',
  'using',
  'taking',
  'giving',
  'putting',
  'keeping',
  'helping',
  'learning',
  'starting',
  'living',
  'moving',
  'waiting',
  'visiting',
  'spending',
  'finding',
  'sharing',
  'heading',
  'checking',
]);

const KIN_ZH =
  '姐姐|妹妹|哥哥|弟弟|妈妈|母亲|爸爸|父亲|妻子|老婆|太太|丈夫|老公|儿子|女儿|孩子|男朋友|女朋友|未婚夫|未婚妻|好朋友|朋友|闺蜜|老板|同事|室友|奶奶|爷爷|外婆|外公|阿姨|叔叔|表姐|表妹|表哥|表弟|邻居|老师';
const PETS_ZH = '狗|小狗|猫|小猫|猫咪|仓鼠|兔子|鹦鹉|金鱼|乌龟';
const MY_KIN_ZH = new RegExp(
  `我的?(${KIN_ZH}|${PETS_ZH})(?:叫|名叫|名字叫|名字是)?([\\p{Script=Han}]{2,3}(?=[，,。.！!？?\\s]|说|也|在|要|会|今天|昨天|最近|刚|找|买|去|是|的|和|$))?`,
  'gu',
);
const WORK_ZH = /《([^》]{1,30})》/g;
const ACTIVITY_ZH =
  /(?:喜欢|爱|爱好是|开始|学习|在学|学|练|练习|迷上了?)(?:上了?)?(画画|绘画|弹钢琴|钢琴|吉他|跑步|游泳|瑜伽|徒步|爬山|登山|露营|摄影|拍照|烹饪|做饭|烘焙|阅读|看书|读书|写作|唱歌|跳舞|舞蹈|书法|健身|骑行|滑雪|钓鱼|下棋|园艺|品茶|茶艺|陶艺|编织|旅行|旅游|打篮球|篮球|踢足球|足球|网球|羽毛球|乒乓球|冥想)/gu;
const PLACE_ZH =
  /(?:去了?|到了?|在|住在|搬到|来自|飞往|回)([\p{Script=Han}]{2,4}?)(?:旅游|旅行|玩|出差|度假|看|参观|的|了|，|。|！|$)/gu;
const PLACE_SUFFIX_ZH =
  /(?:市|省|县|岛|山|湖|公园|博物馆|海滩|大学|北京|上海|广州|深圳|杭州|成都|西安|厦门|南京|武汉|重庆|香港|台北|东京|巴黎|伦敦|纽约)$/u;

export interface RecognizeOptions {
  /** Who said the memory; "I"/"my" resolve to them. */
  speaker?: string | null;
}

/** A key part: lower case, spaces as hyphens. */
function slug(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '-');
}

function kinKey(speaker: string, relation: string): string {
  return `kin:${slug(speaker)}:${slug(relation)}`;
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** The entities one memory mentions, each key once (the strongest role wins: speaker, subject, mentioned). */
export function recognizeEntities(text: string, options: RecognizeOptions = {}): EntityMention[] {
  const out = new Map<string, EntityMention>();
  const add = (m: EntityMention) => {
    const had = out.get(m.key);
    if (!had) out.set(m.key, m);
    else if (m.alias && !had.alias) had.alias = m.alias;
  };
  const speaker = options.speaker?.trim() || null;
  const zh = /\p{Script=Han}/u.test(text);
  if (speaker) {
    const key = `person:${slug(speaker)}`;
    const firstPerson = zh ? /我/.test(text) : FIRST_PERSON_EN.test(text);
    add({ key, name: speaker, type: 'person', role: firstPerson ? 'subject' : 'speaker' });
  }
  const owner = speaker ?? 'user';
  const claimed = new Set<string>();

  if (zh) {
    for (const m of text.matchAll(MY_KIN_ZH)) {
      const relation = m[1]!;
      const pet = PETS_ZH.split('|').includes(relation);
      const alias = kinKey(owner, relation);
      const name = m[2];
      if (name) {
        claimed.add(name);
        add({
          key: `${pet ? 'pet' : 'person'}:${slug(name)}`,
          name,
          type: pet ? 'pet' : 'person',
          role: 'mentioned',
          alias,
        });
      } else
        add({ key: alias, name: `${owner}的${relation}`, type: pet ? 'pet' : 'person', role: 'mentioned' });
    }
    for (const m of text.matchAll(WORK_ZH))
      add({ key: `work:${slug(m[1]!)}`, name: m[1]!, type: 'work', role: 'mentioned' });
    for (const m of text.matchAll(ACTIVITY_ZH))
      add({ key: `activity:${slug(m[1]!)}`, name: m[1]!, type: 'activity', role: 'mentioned' });
    for (const m of text.matchAll(PLACE_ZH)) {
      const place = m[1]!;
      if (PLACE_SUFFIX_ZH.test(place) && !claimed.has(place))
        add({ key: `place:${slug(place)}`, name: place, type: 'place', role: 'mentioned' });
    }
    return [...out.values()];
  }

  for (const m of text.matchAll(MY_KIN)) {
    const relation = m[1]!.toLowerCase();
    const pet = PET_WORDS.has(relation);
    const alias = kinKey(owner, relation);
    const name = m[2];
    if (name && extractNames(name).length > 0) {
      for (const part of name.split(/\s+/)) claimed.add(part);
      add({
        key: `${pet ? 'pet' : 'person'}:${slug(name)}`,
        name,
        type: pet ? 'pet' : 'person',
        role: 'mentioned',
        alias,
      });
    } else {
      add({
        key: alias,
        name: `${possessive(owner)} ${relation}`,
        type: pet ? 'pet' : 'person',
        role: 'mentioned',
      });
    }
  }
  for (const m of text.matchAll(PET_NAMED)) {
    const name = m[2]!;
    claimed.add(name);
    add({
      key: `pet:${slug(name)}`,
      name,
      type: 'pet',
      role: 'mentioned',
      alias: kinKey(owner, m[1]!.toLowerCase()),
    });
  }
  for (const m of text.matchAll(NAME_IS_KIN)) {
    const name = m[1]!;
    if (extractNames(name).length === 0) continue;
    const relation = m[2]!.toLowerCase();
    const pet = PET_WORDS.has(relation);
    claimed.add(name);
    add({
      key: `${pet ? 'pet' : 'person'}:${slug(name)}`,
      name,
      type: pet ? 'pet' : 'person',
      role: 'mentioned',
      alias: kinKey(owner, relation),
    });
  }

  const titles = new Set<string>();
  for (const m of text.matchAll(QUOTED)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const title = m[1]!.trim();
    if (!WORK_CUE.test(before) || /[.!?]$/.test(title)) continue;
    for (const w of title.split(/\s+/)) titles.add(w);
    add({ key: `work:${slug(title)}`, name: title, type: 'work', role: 'mentioned' });
  }

  // Adjacent capitalised names are one name ("New York", "Ana Lopez").
  const names = new Set(extractNames(text));
  const speakerWords = new Set((speaker ?? '').split(/\s+/));
  const tokens = [...text.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]![0].replace(/['’]s$/, '');
    if (!names.has(word)) continue;
    let j = i;
    let end = tokens[i]!.index + tokens[i]![0].length;
    const parts = [word];
    while (j + 1 < tokens.length) {
      const next = tokens[j + 1]!;
      const bare = next[0].replace(/['’]s$/, '');
      if (!names.has(bare) || text.slice(end, next.index) !== ' ') break;
      parts.push(bare);
      end = next.index + next[0].length;
      j++;
    }
    const start = tokens[i]!.index;
    i = j;
    const name = parts.join(' ');
    const initial = /(?:^|[.!?:;]\s*|\n\s*)$/u.test(text.slice(Math.max(0, start - 3), start));
    const tentative = initial && parts.length === 1 && !NAME_THEN_VERB.test(text.slice(end));
    if (parts.every((p) => claimed.has(p) || titles.has(p) || speakerWords.has(p))) continue;
    let type: EntityType = 'person';
    if (ORG_AFTER.test(text.slice(end, end + 20)) || (parts.length > 1 && ORG_AFTER.test(` ${parts.at(-1)}`)))
      type = 'organization';
    else if (PLACE_BEFORE.test(text.slice(Math.max(0, start - 40), start))) type = 'place';
    add({ key: `${type}:${slug(name)}`, name, type, role: tentative ? 'tentative' : 'mentioned' });
  }

  for (const re of [ACTIVITY_EN, ACTIVITY_CLASS]) {
    for (const m of text.matchAll(re)) {
      const activity = m[1]!.toLowerCase();
      if (NOT_ACTIVITY.has(activity) || activity.length < 4) continue;
      add({ key: `activity:${activity}`, name: activity, type: 'activity', role: 'mentioned' });
    }
  }
  return [...out.values()];
}

/** A relative or pet a query refers to through its owner: "my sister" (owner null), "Tom's dog", 我妹妹. */
export interface KinReference {
  owner: string | null;
  relation: string;
}

const KIN_REF_EN = new RegExp(
  `(?:\\b([Mm]y|[Oo]ur)|\\b(\\p{Lu}\\p{Ll}+)['’]s)\\s+${QUALIFIER}(${KIN_EN}|${PETS_EN})\\b`,
  'gu',
);
const KIN_REF_ZH = new RegExp(`(?:(我)|([\\p{Script=Han}]{2,3})的)的?(${KIN_ZH}|${PETS_ZH})`, 'gu');

export function kinReferences(text: string): KinReference[] {
  const out: KinReference[] = [];
  const re = /\p{Script=Han}/u.test(text) ? KIN_REF_ZH : KIN_REF_EN;
  for (const m of text.matchAll(re)) {
    out.push({ owner: m[1] ? null : (m[2] ?? null), relation: m[3]!.toLowerCase() });
  }
  return out;
}

/** The key a relation of `owner` has until a name links it ("kin:maya:sister"). */
export function kinKeyOf(owner: string, relation: string): string {
  return kinKey(owner, relation);
}
