import { normalizedTerms } from '../similarity.js';
import { absolutize, resolveStatementDates, type StatementDate } from './statement-dates.js';
import type { ExtractedFact } from './types.js';

/**
 * English rules. A sentence is split into clauses; each clause whose subject is the speaker ("I", "we") or a
 * person the speaker names ("my daughter Emma", "my mom") is matched against predicate patterns, one per
 * kind of fact. Patterns prefer precision: a missed fact only costs a search that falls back to the turn
 * itself, while a wrong fact could close a true one.
 */

type Draft = Omit<ExtractedFact, 'turn' | 'language'>;

/** Whom a clause is about and how to name them in a fact. */
interface Subject {
  key: string;
  display: string;
}

const RELATIONS =
  'wife|husband|partner|girlfriend|boyfriend|fiance|fiancee|fiancé|fiancée|daughter|son|kid|child|baby|sister|brother|' +
  'mom|mother|mum|dad|father|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|niece|nephew|friend|' +
  'best friend|boss|colleague|coworker|roommate|neighbor|neighbour';
const PETS =
  'dog|cat|puppy|kitten|hamster|guinea pig|rabbit|bunny|parrot|bird|fish|goldfish|turtle|tortoise|snake|lizard|horse|pony|ferret|gecko';
const JOB_WORDS = new Set(
  (
    'accountant actor actress architect artist assistant attorney baker barista biologist carpenter cashier chef ' +
    'chemist cleaner clerk coach consultant cook counselor counsellor dancer dentist designer detective developer ' +
    'doctor driver economist editor electrician engineer farmer firefighter journalist judge lawyer lecturer ' +
    'librarian manager mechanic midwife musician nurse officer painter paramedic pharmacist photographer physician ' +
    'physicist pilot plumber poet policeman policewoman professor programmer psychologist researcher salesman ' +
    'scientist secretary singer soldier student surgeon tailor teacher therapist translator tutor veterinarian vet ' +
    'waiter waitress writer analyst administrator intern founder ceo cto director producer principal instructor ' +
    'nanny caregiver retiree entrepreneur freelancer'
  ).split(' '),
);
const CONDITIONS =
  'diabetes|type 1 diabetes|type 2 diabetes|asthma|cancer|arthritis|depression|anxiety|adhd|autism|epilepsy|migraines?|' +
  'high blood pressure|hypertension|celiac disease|coeliac disease|covid|the flu|a cold|insomnia|ptsd|ocd|' +
  "eczema|psoriasis|a heart condition|heart disease|long covid|lupus|crohn's disease|ibs|dyslexia";
const PAST_VERBS = new Set(
  (
    'went saw met had got took made ran did bought visited started finished attended celebrated tried watched ' +
    'joined won lost found gave left came moved adopted painted read wrote played spent traveled travelled flew ' +
    'drove hiked ate cooked baked signed graduated married volunteered organized organised hosted climbed swam ' +
    'camped completed received learned learnt began quit retired'
  ).split(' '),
);
/** A value that only points at something said before ("allergic to it"): no fact on its own. */
const VAGUE_VALUE =
  /^(?:it|that|this|them|those|these|you|him|her|one|something|anything|everything|nothing)$/i;
const VAGUE_OBJECTS =
  /^(it|that|this|them|those|these|you|him|her|us|one|so|too|much|lot|a lot|what|how|when|the idea|the way)\b/i;

const NAME = "[A-Z][a-zA-Z'’-]*(?: [A-Z][a-zA-Z'’-]*)?";
const PLACE =
  "(?:the )?[A-Z][\\w'’.-]*(?:[ -](?:[A-Z][\\w'’.-]*|(?:de|del|la|le|am|upon|of)\\b))*(?:, ?[A-Z][\\w.-]*)?";
const ORG = "(?:the )?[A-Z0-9][\\w'’&.-]*(?: (?:[A-Z0-9&][\\w'’&.-]*|(?:of|and|for|de)\\b))*";
/** A phrase up to the end of the clause, or up to a conjunction, preposition or time word. */
const PHRASE =
  '([^,.!?;:()]+?)(?=\\s+(?:and|but|because|so|since|when|while|though|although|if|which|who|as|for|with|last|next|this|yesterday|today|tomorrow|tonight|in|on|at|ago|every|anymore|any more)\\b|[,.!?;:()]|$)';

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

function clean(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .replace(/^(the|a|an|my|some)\s+/i, (m) => (/^the\s/i.test(m) ? m : ''))
    .replace(
      /\s+(now|too|anymore|any more|again|already|lately|nowadays|these days|a lot|so much|very much)$/i,
      '',
    )
    .trim();
}

function isJob(phrase: string): boolean {
  const last = phrase.toLowerCase().split(/\s+/).pop() ?? '';
  return JOB_WORDS.has(last) || JOB_WORDS.has(last.replace(/s$/, ''));
}

/** Third person of a present-tense verb: "love" → "loves", "go" → "goes", "have" → "has". */
function thirdPerson(verb: string): string {
  const v = verb.toLowerCase();
  if (v === 'have') return 'has';
  if (v === 'am' || v === "'m") return 'is';
  if (v === 'do') return 'does';
  if (/(s|sh|ch|x|z|o)$/.test(v)) return `${verb}es`;
  if (/[^aeiou]y$/.test(v)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

const FIRST_PERSON_PRESENT_SKIP =
  /^(was|were|had|will|would|could|should|can|might|must|may|did|went|'ll|'d|'ve)$/i;
/** Words that can follow "I" without being its verb (after a moved time phrase, "I from May on …"). */
const NOT_A_VERB =
  /^(?:from|to|in|on|at|for|with|about|since|the|a|an|and|or|but|so|as|of|by|until|this|that|[0-9].*)$/i;
const ADVERBS =
  /^(really|just|also|still|actually|totally|absolutely|now|usually|always|never|often|sometimes|finally|recently|even)$/i;

/** Rewrites a first-person clause about the speaker in the third person ("I love my dog" → "Ann loves Ann's dog"). */
function toThirdPerson(clause: string, subject: Subject): string {
  const words = clause.split(/(\s+)/);
  let conjugated = false;
  const out = words.map((w, i) => {
    const lower = w.toLowerCase();
    if (lower === 'i') return subject.display;
    if (lower === "i'm") return `${subject.display} is`;
    if (lower === "i've") return `${subject.display} has`;
    if (lower === "i'll") return `${subject.display} will`;
    if (lower === "i'd") return `${subject.display} would`;
    if (lower === 'my') return `${subject.display}'s`;
    if (lower === 'me' || lower === 'myself') return subject.display;
    if (lower === 'am') return 'is';
    // "we" includes the speaker and others the turn does not name.
    if (lower === 'we') return `${subject.display} and others`;
    if (lower === "we're") return `${subject.display} and others are`;
    if (lower === "we've") return `${subject.display} and others have`;
    if (lower === "we'll") return `${subject.display} and others will`;
    if (lower === 'our' || lower === 'ours') return `${subject.display}'s`;
    if (lower === 'us') return `${subject.display} and others`;
    // Conjugate the first verb after "I" (skipping adverbs) when it is in the present tense.
    if (!conjugated && i >= 2 && /\S/.test(w)) {
      let j = i - 2;
      while (j >= 0 && ADVERBS.test(words[j] ?? '')) j -= 2;
      if (j >= 0 && (words[j] ?? '').toLowerCase() === 'i') {
        conjugated = true;
        if (
          FIRST_PERSON_PRESENT_SKIP.test(lower) ||
          NOT_A_VERB.test(lower) ||
          /ed$/.test(lower) ||
          PAST_VERBS.has(lower) ||
          ADVERBS.test(w)
        ) {
          if (ADVERBS.test(w)) conjugated = false;
          return w;
        }
        return /^[a-z]+$/i.test(w) ? thirdPerson(w) : w;
      }
    }
    return w;
  });
  return out.join('');
}

function sentenceCase(text: string): string {
  const t = text.trim().replace(/\s+([,.!?])/g, '$1');
  const body = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(body) ? body : `${body}.`;
}

interface ClauseInfo {
  subject: Subject;
  /** The clause after its subject, "'m" and "am" kept. */
  predicate: string;
  /** The whole clause, for rewriting plans and events. */
  clause: string;
  firstPerson: boolean;
  said: Date;
}

const LEAD_IN =
  /^(?:(?:so|well|oh|ok|okay|and|but|also|yeah|yes|yep|hey|hi|wow|guess what|by the way|btw|anyway|fun fact|news|update|good news|big news|honestly|actually|now|these days|lately|nowadays|just so you know|fyi)[,!:]?\s+)+/i;

/** Finds the clause's subject: the speaker, or someone the speaker names with "my …". */
function analyseClause(raw: string, speaker: Subject, said: Date, facts: Draft[]): ClauseInfo | null {
  const clause = raw.replace(LEAD_IN, '').trim();
  let m = /^(?:I|we)(?=[\s'’])(.*)$/i.exec(clause);
  if (m) {
    const predicate = m[1]!
      .replace(/^['’]m\b/i, ' am')
      .replace(/^['’]re\b/i, ' are')
      .replace(/^['’]ve\b/i, ' have')
      .replace(/^['’]ll\b/i, ' will')
      .trim();
    return { subject: speaker, predicate, clause, firstPerson: true, said };
  }
  // "my daughter Emma …", "my best friend, Sam, …", "my mom …"
  m = new RegExp(
    `^[Mm]y (?:little |older |younger |big |baby |new |old )?(${RELATIONS})(?:,? (${NAME}),?)? (.*)$`,
  ).exec(clause);
  if (m && !/^(is|was) (called|named)\b/i.test(m[3]!)) {
    const relation = m[1]!.toLowerCase();
    const name = m[2] && !/^(Is|Was|Has|Had|Will|And|But)$/.test(m[2]) ? m[2] : null;
    if (name) {
      facts.push(relationFact(speaker, relation, name));
      return { subject: { key: name, display: name }, predicate: m[3]!, clause, firstPerson: false, said };
    }
    if (m[2]) {
      // "my mom Is ..." never happens; a capitalised second word was the predicate.
      return null;
    }
    const display = `${speaker.display}'s ${relation}`;
    return {
      subject: { key: `${speaker.key}'s ${relation}`, display },
      predicate: m[3]!,
      clause,
      firstPerson: false,
      said,
    };
  }
  return null;
}

function relationFact(speaker: Subject, relation: string, name: string): Draft {
  const rel = relation.replace(/\s+/g, '_');
  return {
    subject: speaker.key,
    attribute: `has_${rel}`,
    value: name,
    text: `${speaker.display} has ${article(relation)} ${relation} named ${name}.`,
  };
}

interface PredicateRule {
  re: RegExp;
  build(m: RegExpExecArray, info: ClauseInfo, dates: StatementDate[]): Draft[] | null;
}

function when(dates: StatementDate[]): string {
  return dates.length > 0 ? ` ${dates[0]!.absolute}` : '';
}

function dated(draft: Draft, dates: StatementDate[]): Draft {
  if (dates.length === 0) return draft;
  return { ...draft, eventDate: dates[0]!.date, dateGranularity: dates[0]!.granularity };
}

const BE = "(?:am|is|are|'m|'s|'re)";

const PREDICATES: PredicateRule[] = [
  {
    re: new RegExp(
      `^(?:just |recently |finally |have |has |had |now |officially )*(?:moved|relocated)(?: back| over)? to (${PLACE})`,
    ),
    build: (m, { subject }, dates) => [
      dated(
        {
          subject: subject.key,
          attribute: 'lives_in',
          value: clean(m[1]!),
          text: `${subject.display} lives in ${clean(m[1]!)} (moved there${when(dates) || ' recently'}).`,
        },
        dates,
      ),
    ],
  },
  {
    re: new RegExp(
      `^(?:still |now |currently |also )*(?:live|lives|${BE} living|${BE} based|have been living|has been living|${BE} staying) in (${PLACE})`,
    ),
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'lives_in',
        value: clean(m[1]!),
        text: `${subject.display} lives in ${clean(m[1]!)}.`,
      },
    ],
  },
  {
    re: new RegExp(`^(?:${BE} (?:originally )?from|come from|comes from|grew up in|was born in) (${PLACE})`),
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'hometown',
        value: clean(m[1]!),
        text: `${subject.display} is from ${clean(m[1]!)}.`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:now |currently |still )*(?:work|works|${BE} working|have been working|has been working) (?:at|for) (${ORG})(?: as (?:a |an )?([a-z][a-z -]*?)(?=[,.!?;]|$| and| but| in| since))?`,
    ),
    build: (m, { subject }) => {
      const org = clean(m[1]!);
      const out: Draft[] = [
        {
          subject: subject.key,
          attribute: 'works_at',
          value: org,
          text: `${subject.display} works at ${org}.`,
        },
      ];
      if (m[2] && isJob(m[2])) {
        const job = clean(m[2]);
        out.push({
          subject: subject.key,
          attribute: 'job',
          value: job,
          text: `${subject.display} works as ${article(job)} ${job}.`,
        });
      }
      return out;
    },
  },
  {
    re: new RegExp(
      `^(?:just |recently |finally )*(?:started|began|got|landed|accepted|took|have started|'ve started) (?:a |an |my )?(?:new )?(?:job|position|role|work|working|internship|offer)(?: as (?:a |an )?([a-z][a-z -]*?))? (?:at|with|for) (${ORG})(?: as (?:a |an )?([a-z][a-z -]*?)(?=[,.!?;]|$| and| but| in| since))?`,
    ),
    build: (m, { subject }, dates) => {
      const org = clean(m[2]!);
      const out: Draft[] = [
        dated(
          {
            subject: subject.key,
            attribute: 'works_at',
            value: org,
            text: `${subject.display} works at ${org} (started${when(dates) || ' recently'}).`,
          },
          dates,
        ),
      ];
      const role = m[1] ?? m[3];
      if (role && isJob(role)) {
        const job = clean(role);
        out.push({
          subject: subject.key,
          attribute: 'job',
          value: job,
          text: `${subject.display} works as ${article(job)} ${job}.`,
        });
      }
      return out;
    },
  },
  {
    re: new RegExp(`^(?:just |recently )*joined (${ORG})`),
    build: (m, { subject }, dates) =>
      /^(the )?[A-Z]/.test(m[1]!) && !/^the [a-z]/.test(m[1]!)
        ? [
            dated(
              {
                subject: subject.key,
                attribute: 'works_at',
                value: clean(m[1]!),
                text: `${subject.display} works at ${clean(m[1]!)} (joined${when(dates) || ' recently'}).`,
              },
              dates,
            ),
          ]
        : null,
  },
  {
    re: /^(?:quit|left|lost) (?:my |his |her )?job(?: at ([A-Z][\w&.' -]*))?/,
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'works_at',
        value: 'no employer',
        text: `${subject.display} no longer works${m[1] ? ` at ${clean(m[1])}` : ''} (left the job).`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:now |currently |still )*(?:work|works|${BE} working) as (?:a |an )?([a-z][a-z -]*?)(?: at (${ORG}))?(?=[,.!?;]|$| and| but| in| for| since)`,
    ),
    build: (m, { subject }) => {
      const job = clean(m[1]!);
      const out: Draft[] = [
        {
          subject: subject.key,
          attribute: 'job',
          value: job,
          text: `${subject.display} works as ${article(job)} ${job}.`,
        },
      ];
      if (m[2]) {
        const org = clean(m[2]);
        out.push({
          subject: subject.key,
          attribute: 'works_at',
          value: org,
          text: `${subject.display} works at ${org}.`,
        });
      }
      return out;
    },
  },
  {
    re: new RegExp(
      `^(?:${BE}|became|have become|got promoted to|was promoted to) (?:now |a |an |the |now a |now an )*((?:senior |junior |lead |head |chief |staff |principal |assistant |full-time |part-time )?[a-z][a-z-]*(?: [a-z-]+)?)(?: at (${ORG}))?(?=[,.!?;]|$| and| but| in| for| since| now)`,
    ),
    build: (m, { subject }) => {
      if (!isJob(m[1]!)) return null;
      const job = clean(m[1]!);
      const out: Draft[] = [
        {
          subject: subject.key,
          attribute: 'job',
          value: job,
          text: `${subject.display} works as ${article(job)} ${job}.`,
        },
      ];
      if (m[2]) {
        const org = clean(m[2]);
        out.push({
          subject: subject.key,
          attribute: 'works_at',
          value: org,
          text: `${subject.display} works at ${org}.`,
        });
      }
      return out;
    },
  },
  {
    re: new RegExp(`^(?:study|studies|${BE} studying|${BE} a student)(?: [a-z]+){0,3} at (${ORG})`),
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'studies_at',
        value: clean(m[1]!),
        text: `${subject.display} studies at ${clean(m[1]!)}.`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:${BE}|just turned|turned) (\\d{1,3})(?: years old| years of age)?(?=[,.!?;]|$| and| but| now| this| today)`,
    ),
    build: (m, { subject }) => {
      const n = Number(m[1]);
      if (n < 1 || n > 120) return null;
      return [
        {
          subject: subject.key,
          attribute: 'age',
          value: String(n),
          text: `${subject.display} is ${n} years old.`,
        },
      ];
    },
  },
  {
    re: /^(?:turns|will turn|is turning|'s turning|will be) (\d{1,3})\b(.*)$/,
    build: (m, { subject }, dates) => {
      const n = Number(m[1]);
      if (n < 1 || n > 120) return null;
      const w = when(dates);
      return [
        dated(
          {
            subject: subject.key,
            attribute: 'turns_age',
            value: `${n}${w}`,
            text: `${subject.display} turns ${n}${w}.`,
          },
          dates,
        ),
      ];
    },
  },
  {
    re: new RegExp(
      `^(?:${BE} |just |recently |finally |have |has |got |just got |have just got |are getting |${BE} getting )*(married|engaged|divorced|single|separated|widowed)(?: to (${NAME}))?`,
    ),
    build: (m, { subject, predicate }) => {
      const status = m[1]!.toLowerCase();
      const future = /getting/.test(predicate.slice(0, m.index + m[0].length));
      if (future) return null;
      const out: Draft[] = [
        {
          subject: subject.key,
          attribute: 'relationship_status',
          value: status,
          text: `${subject.display} is ${status}.`,
        },
      ];
      if (m[2])
        out.push({
          subject: subject.key,
          attribute: 'partner',
          value: m[2],
          text: `${subject.display}'s partner is ${m[2]}.`,
        });
      return out;
    },
  },
  {
    re: new RegExp(
      `^(?:${BE} |now |)(?:dating|seeing|in a relationship with|together with|going out with) (${NAME})`,
    ),
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'relationship_status',
        value: 'in a relationship',
        text: `${subject.display} is in a relationship with ${m[1]}.`,
      },
      {
        subject: subject.key,
        attribute: 'partner',
        value: m[1]!,
        text: `${subject.display}'s partner is ${m[1]}.`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:just |recently |finally |have |had )*(?:broke up|split up|broken up|split)(?: with (${NAME}))?`,
    ),
    build: (m, { subject }, dates) => [
      dated(
        {
          subject: subject.key,
          attribute: 'relationship_status',
          value: 'single',
          text: `${subject.display} is single (broke up${m[1] ? ` with ${m[1]}` : ''}${when(dates)}).`,
        },
        dates,
      ),
      {
        subject: subject.key,
        attribute: 'partner',
        value: 'none',
        text: `${subject.display} has no partner${m[1] ? ` since breaking up with ${m[1]}` : ''}.`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:also |still )*(?:have|has|own|owns|got|just got|adopted|just adopted|have adopted|rescued|bought) (?:a |an |one |two |three |\\d+ |another |a new |our )?(?:little |new |cute |sweet |rescue |senior |baby |pet )*(${PETS})s?(?:,? (?:named|called) (${NAME}))?`,
    ),
    build: (m, { subject }, dates) => {
      const pet = m[1]!.toLowerCase();
      const value = m[2] ? `${pet} ${m[2]}` : pet;
      // "I adopted a dog last Saturday": when the pet arrived is worth keeping.
      const since =
        /^(?:just )?(?:got|adopted|rescued|bought)/.test(m[0]) && dates.length > 0
          ? ` (since ${dates[0]!.absolute.replace(/^(on|in) /, '')})`
          : '';
      const text = m[2]
        ? `${subject.display} has ${article(pet)} ${pet} named ${m[2]}${since}.`
        : `${subject.display} has ${article(pet)} ${pet}${since}.`;
      return [dated({ subject: subject.key, attribute: 'has_pet', value, text }, since ? dates : [])];
    },
  },
  {
    re: /^(?:have|has) (a|an|one|two|three|four|\d+) (daughter|son|kid|child|sister|brother|twin)s?(?:,? (?:named|called) ([A-Z][a-z]+(?:(?:,| and|, and) [A-Z][a-z]+)*))?/,
    build: (m, { subject }) => {
      const relation = m[2]!.toLowerCase();
      if (!m[3]) return null;
      return m[3].split(/,? and |, /).map((name) => relationFact(subject, relation, name.trim()));
    },
  },
  {
    re: /^(?:have|has|own|owns|bought|just bought|have bought|got|just got) (?:a|an) (?:new |brand new |used |second-hand )?((?:[a-z]+ ){0,2}(?:car|bike|bicycle|motorcycle|house|home|apartment|flat|condo|boat|laptop|phone|piano|guitar|camera|tesla|van|truck|cabin))\b/,
    build: (m, { subject }, dates) => {
      const thing = clean(m[1]!);
      return [
        dated(
          {
            subject: subject.key,
            attribute: 'owns',
            value: thing,
            text: `${subject.display} owns ${article(thing)} ${thing}.`,
          },
          dates,
        ),
      ];
    },
  },
  {
    re: new RegExp(`^(?:${BE} )?(?:severely |very |deathly |highly |mildly |really )?allergic to ${PHRASE}`),
    build: (m, { subject }) => {
      const what = clean(m[1]!);
      return [
        {
          subject: subject.key,
          attribute: 'allergy',
          value: what,
          text: `${subject.display} is allergic to ${what}.`,
        },
      ];
    },
  },
  {
    re: /^(?:have|has) (?:a |an )?(?:severe |mild )?([a-z ]+?) allergy\b/,
    build: (m, { subject }) => {
      const what = clean(m[1]!);
      return [
        {
          subject: subject.key,
          attribute: 'allergy',
          value: what,
          text: `${subject.display} is allergic to ${what}.`,
        },
      ];
    },
  },
  {
    re: new RegExp(
      `^(?:(?:was|got|have been|has been|just got) diagnosed with ${PHRASE}|(?:have|has|suffer from|suffers from|${BE} suffering from|${BE} living with) (${CONDITIONS})\\b)`,
      'i',
    ),
    build: (m, { subject }, dates) => {
      const what = clean((m[1] ?? m[2])!);
      const since = m[1] && dates.length > 0 ? ` (diagnosed ${dates[0]!.absolute})` : '';
      return [
        dated(
          {
            subject: subject.key,
            attribute: 'condition',
            value: what,
            text: `${subject.display} has ${what}${since}.`,
          },
          dates,
        ),
      ];
    },
  },
  {
    re: /^(?:take|takes|am taking|'m taking|is taking|am on|'m on|is on) ([a-zA-Z][\w-]*(?: [a-z]+)?) (?:for|every|daily|twice|once|each)\b/,
    build: (m, { subject }) => {
      const what = clean(m[1]!);
      if (/^(a|the|care|time|it|my|his|her|lessons?|classes|walks?)\b/i.test(what)) return null;
      return [
        {
          subject: subject.key,
          attribute: 'medication',
          value: what,
          text: `${subject.display} takes ${what}.`,
        },
      ];
    },
  },
  {
    re: new RegExp(
      `^(?:${BE} )?(?:now |strictly |fully |)(vegetarian|vegan|pescatarian|gluten-free|lactose intolerant|keto|on a keto diet)\\b`,
    ),
    build: (m, { subject }) => {
      const diet = m[1]!.toLowerCase();
      return [
        { subject: subject.key, attribute: 'diet', value: diet, text: `${subject.display} is ${diet}.` },
      ];
    },
  },
  {
    re: /^(?:prefer|prefers) ([a-z][\w -]*?) (?:to|over) ([a-z][\w -]*?)(?=[,.!?;]|$)/,
    build: (m, { subject }) => [
      {
        subject: subject.key,
        attribute: 'prefers',
        value: `${clean(m[1]!)} over ${clean(m[2]!)}`,
        text: `${subject.display} prefers ${clean(m[1]!)} to ${clean(m[2]!)}.`,
      },
    ],
  },
  {
    re: new RegExp(
      `^(?:really |absolutely |totally |just |also |still |truly |do |now )*(?:(don't|do not|no longer|doesn't|does not|can't|cannot|can no longer) )?(?:really |actually )?(love|loves|like|likes|enjoy|enjoys|adore|adores|hate|hates|dislike|dislikes|stand|detest|detests|loathe|loathes)\\s+${PHRASE}`,
    ),
    build: (m, { subject, predicate }) => {
      let object = clean(m[3]!).replace(/^to (\w+)/, '$1');
      if (
        !object ||
        VAGUE_OBJECTS.test(object) ||
        object.split(' ').length > 5 ||
        normalizedTerms(object).length === 0
      )
        return null;
      if (/^(when|how|that|what|being|it when)\b/.test(object)) return null;
      const verb = m[2]!.toLowerCase().replace(/s$/, '');
      const negated = !!m[1];
      // "can't stand" is the one negation that makes a dislike; "don't hate" says too little to record.
      if (verb === 'stand' && !negated) return null;
      const negative = /^(hate|dislike|detest|loathe)$/.test(verb);
      if (negated && negative) return null;
      const likes = !negated && !negative;
      object = object.replace(/\s+(anymore|any more)$/, '');
      const key = object.toLowerCase();
      const text = likes
        ? `${subject.display} ${verb === 'love' || verb === 'adore' ? 'loves' : verb === 'enjoy' ? 'enjoys' : 'likes'} ${object}.`
        : `${subject.display} ${/no longer/.test(m[1] ?? '') || /\bany ?more\b/i.test(predicate) ? 'no longer likes' : "doesn't like"} ${object}.`;
      return [
        { subject: subject.key, attribute: `opinion:${key}`, value: likes ? 'likes' : 'dislikes', text },
      ];
    },
  },
  {
    re: new RegExp(
      `^(?:${BE} |will |'ll |)(?:going|planning|hoping|about|gonna|intending|plan|plans|intend|intends|want|wants|aim|aims)(?: to)? (.+)$`,
    ),
    build: (m, info, dates) => {
      const what = m[1]!.trim();
      if (
        !isPlan(
          what,
          info,
          dates,
          /\b(?:want|wants|hoping|aim|aims)\b/.test(m[0].slice(0, m[0].length - what.length)),
        )
      )
        return null;
      return [
        dated(
          {
            subject: info.subject.key,
            attribute: 'plan',
            value: planValue(what, info),
            text: rewrite(info, dates),
          },
          dates,
        ),
      ];
    },
  },
  {
    re: /^(?:will|'ll) ([a-z]+ .+)$/,
    build: (m, info, dates) => {
      if (dates.length === 0 || !isPlan(m[1]!, info, dates, false)) return null;
      return [
        dated(
          {
            subject: info.subject.key,
            attribute: 'plan',
            value: planValue(m[1]!, info),
            text: rewrite(info, dates),
          },
          dates,
        ),
      ];
    },
  },
];

/** Pronouns that leave a plan meaningless on its own ("keep it up", "make that happen"). */
const DANGLING =
  /\b(?:it|that|this|them|those|these|one|few|some)\s*$|\b(?:it|that|this|them) (?:up|happen|out|too|again)\b/i;

/**
 * Whether what follows "going to / planning to / want to / will" is a plan worth a fact: it says something
 * on its own (three content words, no dangling pronoun), a wish needs a date to be a plan, and a dated one
 * lies ahead ("I will always remember our trip in 2022" is a memory, not a plan).
 */
function isPlan(what: string, info: ClauseInfo, dates: StatementDate[], wish: boolean): boolean {
  if (/^(be|say|tell|ask|see what|do it|do that|think|let|know|make sure)\b/i.test(what)) return false;
  if (DANGLING.test(what) || normalizedTerms(what).length < 2) return false;
  if (wish && dates.length === 0) return false;
  const today = info.said.toISOString().slice(0, 10);
  return dates.length === 0 || dates.some((d) => notOver(d, today));
}

/** Whether the period a date names has not ended before `today` (YYYY-MM-DD). */
function notOver(d: StatementDate, today: string): boolean {
  if (d.granularity === 'year') return d.date.slice(0, 4) >= today.slice(0, 4);
  if (d.granularity === 'month') return d.date.slice(0, 7) >= today.slice(0, 7);
  const end = new Date(Date.parse(d.date) + (d.granularity === 'day' ? 0 : 6) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return end >= today;
}

/** What is planned, with its own time words made absolute. */
function planValue(what: string, info: ClauseInfo): string {
  return absolutize(what, resolveStatementDates(what, info.said, 'en', true));
}

/** The clause rewritten as a third-person statement with absolute dates. */
function rewrite(info: ClauseInfo, dates: StatementDate[]): string {
  const absolute = absolutize(info.clause, dates);
  return sentenceCase(info.firstPerson ? toThirdPerson(absolute, info.subject) : absolute);
}

/** Statements that do not start with a subject pronoun: "my name is …", "my favourite X is Y", schedules, corrections. */
function sentenceFacts(sentence: string, speaker: Subject): Draft[] {
  const s = sentence.replace(LEAD_IN, '').trim();
  let m = new RegExp(
    `^(?:my name is|my name's|call me|i am called|i'm called|they call me) (${NAME})`,
    'i',
  ).exec(s);
  if (m)
    return [
      {
        subject: speaker.key,
        attribute: 'name',
        value: m[1]!,
        text: `${speaker.display}'s name is ${m[1]}.`,
      },
    ];

  m =
    /^my (?:all[- ]time |absolute |very )?favou?rite ([a-z][a-z ]*?) (?:is|are|has to be|would be) (?:probably |definitely |still |now )?([^,.!?;]+)/i.exec(
      s,
    );
  if (m) return [favourite(speaker, m[1]!, m[2]!)];
  m =
    /^([^,.!?;]+?) (?:is|are) (?:still |now |definitely )?my (?:all[- ]time |absolute |new )?favou?rite ([a-z][a-z ]*?)(?: ever| of all time| now)?$/i.exec(
      s.replace(/[.!?]+$/, ''),
    );
  if (m && !/^(it|this|that|these|those|he|she|they)$/i.test(m[1]!.trim()))
    return [favourite(speaker, m[2]!, m[1]!)];

  m =
    /^my (?:weekly )?([a-z][a-z ]*?) (?:is|are|happens|takes place) (?:on|every) ((?:mon|tues|wednes|thurs|fri|satur|sun)days?)/i.exec(
      s,
    );
  if (m) return [schedule(speaker, m[1]!, m[2]!)];
  m =
    /^(?:I|we) (?:have|go to|attend|do) (?:my |our )?([a-z][a-z ]*?) (?:on|every) ((?:mon|tues|wednes|thurs|fri|satur|sun)days?)/i.exec(
      s,
    );
  if (m) return [schedule(speaker, m[1]!, m[2]!)];

  // "actually it's Tuesday, not Monday", "sorry, I meant Tuesday", "no wait, it's Tuesday not Monday"
  // The correction words are themselves lead-ins elsewhere; match on the sentence as said.
  const said = sentence.replace(/^(?:(?:so|oh|ok|okay|well|hmm|um|oh wait)[,!]?\s+)+/i, '').trim();
  m =
    /^(?:(?:actually|sorry|oops|no|wait|correction|my bad|i mean)[,!:]?\s+)+(?:it's|it is|it was|i meant|i mean|that's|that is|make that)?\s*([^,.!?;]+?)(?:,?\s+not\s+([^,.!?;]+?))?[.!?]*$/i.exec(
      said,
    );
  if (m && (m[2] || /\b(meant|mean)\b/i.test(said))) {
    const to = m[1]!.trim();
    if (to.split(/\s+/).length <= 4) {
      return [
        {
          subject: speaker.key,
          attribute: 'correction',
          value: to,
          text: s,
          correction: { from: m[2]?.trim() ?? null },
        },
      ];
    }
  }
  return [];
}

function favourite(speaker: Subject, kind: string, value: string): Draft {
  const k = kind.trim().toLowerCase();
  const v = clean(value);
  return {
    subject: speaker.key,
    attribute: `favourite_${k.replace(/\s+/g, '_')}`,
    value: v,
    text: `${speaker.display}'s favourite ${k} is ${v}.`,
  };
}

function schedule(speaker: Subject, thing: string, day: string): Draft {
  const what = thing.trim().toLowerCase();
  const weekday = day.charAt(0).toUpperCase() + day.slice(1).toLowerCase().replace(/s$/, '');
  return {
    subject: speaker.key,
    attribute: `schedule:${what}`,
    value: weekday,
    text: `${speaker.display}'s ${what} is on ${weekday}.`,
  };
}

/** A past-tense clause about the speaker with a date: "I went to a concert last Saturday". */
function eventFact(info: ClauseInfo, dates: StatementDate[]): Draft | null {
  if (dates.length === 0) return null;
  const verb = /^(?:just |also |finally |recently )*([a-z]+)/.exec(info.predicate)?.[1] ?? '';
  // "I did last week" says nothing without what was done.
  if (
    normalizedTerms(absolutize(info.predicate, resolveStatementDates(info.predicate, info.said, 'en')))
      .length < 3
  )
    return null;
  const text = rewrite(info, dates);
  if (PAST_VERBS.has(verb) || /ed$/.test(verb)) {
    return dated(
      { subject: info.subject.key, attribute: 'event', value: text.replace(/\.$/, ''), text },
      dates,
    );
  }
  // "I'm flying to Rome next Friday": the present progressive with a date to come is a plan.
  const progressive = new RegExp(`^${BE} (?:[a-z]+ )?([a-z]+ing) (.+)$`).exec(info.predicate);
  const today = info.said.toISOString().slice(0, 10);
  if (progressive && dates.some((d) => notOver(d, today))) {
    const what = `${progressive[1]} ${progressive[2]}`;
    return dated({ subject: info.subject.key, attribute: 'plan', value: planValue(what, info), text }, dates);
  }
  return null;
}

const FILLER =
  /\b(?:also|really|actually|honestly|totally|definitely|seriously|truly|literally|kinda|sort of|kind of)\s+/gi;

const CLAUSE_SPLIT = /\s*(?:;|,?\s+(?:and|but|so)\s+(?=(?:I|we|my)\b)|,\s+(?=(?:I|my)\s))\s*/;

export function extractEnglish(sentence: string, speaker: Subject, said: Date): Draft[] {
  const facts = sentenceFacts(sentence, speaker);
  // A correction is the whole sentence; its words are not statements of their own.
  if (facts.some((f) => f.correction)) return facts;
  for (const raw of sentence.split(CLAUSE_SPLIT)) {
    const text = raw.replace(/[.!?]+$/, '').trim();
    if (!text) continue;
    const info = analyseClause(text, speaker, said, facts);
    if (!info) continue;
    const clauseDates = resolveStatementDates(info.clause, said, 'en');
    // Filler adverbs change no fact ("I'm also allergic", "I really love"); patterns need not list them.
    const predicate = info.predicate.replace(FILLER, '');
    let matched = false;
    for (const rule of PREDICATES) {
      const m = rule.re.exec(predicate);
      if (!m) continue;
      const drafts = rule
        .build(m, { ...info, predicate }, clauseDates)
        ?.filter((d) => !VAGUE_VALUE.test(d.value));
      if (!drafts || drafts.length === 0) continue;
      facts.push(...drafts);
      matched = true;
      break;
    }
    if (!matched && info.firstPerson) {
      const event = eventFact(info, clauseDates);
      if (event) facts.push(event);
    }
  }
  return facts;
}

export type { Subject };
