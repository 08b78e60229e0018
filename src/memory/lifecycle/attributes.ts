/**
 * The conflict table: which attributes of a subject hold one value at a time (a new value closes the old
 * fact) and which accumulate (a new value is simply added). Attributes are plain strings; a family of
 * attributes shares one rule through a prefix ("favourite_" covers favourite_food, favourite_color …;
 * "opinion:" covers opinion:sushi …). An attribute the table does not know is treated as `multi`, so an
 * unknown attribute never closes anything by mistake.
 *
 * Extend it by building a table with extra rules: `new AttributeTable([...DEFAULT_ATTRIBUTE_RULES, rule])`;
 * rules listed later win over earlier ones with the same pattern.
 */
export type FactCategory =
  | 'identity'
  | 'place'
  | 'work'
  | 'relation'
  | 'possession'
  | 'preference'
  | 'plan'
  | 'health'
  | 'date'
  | 'schedule'
  | 'event';

export interface AttributeRule {
  /** Exact attribute name, or a prefix ending in "_" or ":" that covers a family. */
  pattern: string;
  /** `single`: one current value per subject (a different value supersedes); `multi`: values accumulate. */
  cardinality: 'single' | 'multi';
  category: FactCategory;
  /** Importance (0..1) of a fact with this attribute, before any LLM judgement. */
  importance: number;
  description: string;
}

export const DEFAULT_ATTRIBUTE_RULES: readonly AttributeRule[] = [
  {
    pattern: 'name',
    cardinality: 'single',
    category: 'identity',
    importance: 0.8,
    description: 'what the subject is called',
  },
  {
    pattern: 'age',
    cardinality: 'single',
    category: 'identity',
    importance: 0.6,
    description: 'age in years',
  },
  {
    pattern: 'gender',
    cardinality: 'single',
    category: 'identity',
    importance: 0.6,
    description: 'gender identity',
  },
  {
    pattern: 'nationality',
    cardinality: 'single',
    category: 'identity',
    importance: 0.6,
    description: 'nationality',
  },
  {
    pattern: 'birthday',
    cardinality: 'single',
    category: 'date',
    importance: 0.75,
    description: 'date of birth',
  },
  {
    pattern: 'turns_age',
    cardinality: 'single',
    category: 'date',
    importance: 0.65,
    description: 'an upcoming birthday',
  },
  {
    pattern: 'hometown',
    cardinality: 'single',
    category: 'place',
    importance: 0.6,
    description: 'where the subject comes from',
  },
  {
    pattern: 'lives_in',
    cardinality: 'single',
    category: 'place',
    importance: 0.75,
    description: 'where the subject lives now',
  },
  { pattern: 'works_at', cardinality: 'single', category: 'work', importance: 0.7, description: 'employer' },
  {
    pattern: 'job',
    cardinality: 'single',
    category: 'work',
    importance: 0.7,
    description: 'occupation or role',
  },
  {
    pattern: 'studies_at',
    cardinality: 'single',
    category: 'work',
    importance: 0.6,
    description: 'school or university',
  },
  {
    pattern: 'relationship_status',
    cardinality: 'single',
    category: 'relation',
    importance: 0.75,
    description: 'single, dating, engaged, married, divorced …',
  },
  {
    pattern: 'partner',
    cardinality: 'single',
    category: 'relation',
    importance: 0.75,
    description: 'current partner',
  },
  {
    pattern: 'has_',
    cardinality: 'multi',
    category: 'relation',
    importance: 0.7,
    description: 'family and friends (has_daughter …)',
  },
  { pattern: 'has_pet', cardinality: 'multi', category: 'possession', importance: 0.55, description: 'pets' },
  {
    pattern: 'owns',
    cardinality: 'multi',
    category: 'possession',
    importance: 0.45,
    description: 'possessions',
  },
  {
    pattern: 'favourite_',
    cardinality: 'single',
    category: 'preference',
    importance: 0.55,
    description: 'a favourite thing of a kind',
  },
  {
    pattern: 'opinion:',
    cardinality: 'single',
    category: 'preference',
    importance: 0.5,
    description: 'likes or dislikes a thing',
  },
  {
    pattern: 'prefers',
    cardinality: 'multi',
    category: 'preference',
    importance: 0.5,
    description: 'a preference of one thing over another',
  },
  {
    pattern: 'hobby',
    cardinality: 'multi',
    category: 'preference',
    importance: 0.5,
    description: 'pastimes',
  },
  {
    pattern: 'diet',
    cardinality: 'single',
    category: 'health',
    importance: 0.75,
    description: 'vegetarian, vegan …',
  },
  { pattern: 'allergy', cardinality: 'multi', category: 'health', importance: 0.9, description: 'allergies' },
  {
    pattern: 'condition',
    cardinality: 'multi',
    category: 'health',
    importance: 0.85,
    description: 'illnesses and conditions',
  },
  {
    pattern: 'medication',
    cardinality: 'multi',
    category: 'health',
    importance: 0.8,
    description: 'medicines taken',
  },
  {
    pattern: 'plan',
    cardinality: 'multi',
    category: 'plan',
    importance: 0.55,
    description: 'intentions and plans',
  },
  {
    pattern: 'schedule:',
    cardinality: 'single',
    category: 'schedule',
    importance: 0.6,
    description: 'when a recurring thing happens',
  },
  {
    pattern: 'event',
    cardinality: 'multi',
    category: 'event',
    importance: 0.5,
    description: 'something that happened on a date',
  },
];

/** Synonyms an LLM (or a caller) may use for the canonical attributes. */
const ALIASES: Record<string, string> = {
  location: 'lives_in',
  city: 'lives_in',
  residence: 'lives_in',
  home: 'lives_in',
  lives: 'lives_in',
  employer: 'works_at',
  company: 'works_at',
  workplace: 'works_at',
  occupation: 'job',
  profession: 'job',
  role: 'job',
  title: 'job',
  spouse: 'partner',
  relationship: 'relationship_status',
  marital_status: 'relationship_status',
  allergic_to: 'allergy',
  allergies: 'allergy',
  illness: 'condition',
  health_condition: 'condition',
  pet: 'has_pet',
  pets: 'has_pet',
  plans: 'plan',
  from: 'hometown',
  birth_date: 'birthday',
  date_of_birth: 'birthday',
};

export class AttributeTable {
  private readonly exact = new Map<string, AttributeRule>();
  private readonly prefixes: AttributeRule[] = [];

  constructor(rules: readonly AttributeRule[] = DEFAULT_ATTRIBUTE_RULES) {
    for (const rule of rules) {
      if (/[_:]$/.test(rule.pattern)) {
        const at = this.prefixes.findIndex((r) => r.pattern === rule.pattern);
        if (at >= 0) this.prefixes.splice(at, 1);
        this.prefixes.push(rule);
      } else {
        this.exact.set(rule.pattern, rule);
      }
    }
    // Longest prefix first, so "has_pet" style exact names and specific families win over broad ones.
    this.prefixes.sort((a, b) => b.pattern.length - a.pattern.length);
  }

  /**
   * The canonical spelling of an attribute: lower case, spaces as "_", known synonyms mapped; after a ":"
   * the object keeps its words ("schedule:yoga class", "opinion:ice cream").
   */
  canonical(attribute: string): string {
    const a = attribute.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
    const colon = a.indexOf(':');
    const head = (colon >= 0 ? a.slice(0, colon) : a)
      .trim()
      .replace(/ /g, '_')
      .replace(/^favorite_/, 'favourite_');
    if (colon >= 0) return `${head}:${a.slice(colon + 1).trim()}`;
    return ALIASES[head] ?? head;
  }

  rule(attribute: string): AttributeRule | null {
    const a = this.canonical(attribute);
    const exact = this.exact.get(a);
    if (exact) return exact;
    return this.prefixes.find((r) => a.startsWith(r.pattern)) ?? null;
  }

  /** Whether a new value of this attribute closes the subject's previous value. */
  isSingleValued(attribute: string): boolean {
    return this.rule(attribute)?.cardinality === 'single';
  }

  importance(attribute: string): number {
    return this.rule(attribute)?.importance ?? 0.5;
  }
}

export const DEFAULT_ATTRIBUTE_TABLE = new AttributeTable();
