/** What the entity recogniser finds in one memory, before anything is stored. */

export type EntityType = 'person' | 'place' | 'organization' | 'pet' | 'work' | 'activity';

/**
 * How a memory involves an entity: `speaker` said it, `subject` is what it is about in the first person
 * ("I", "my" → the speaker), `mentioned` is named or referred to in it. `tentative`: a capitalised word at
 * the start of a sentence ("Ravi starts Monday", but also "Big news"), which counts only for a name that
 * some memory mentions for certain.
 */
export type MentionRole = 'speaker' | 'subject' | 'mentioned' | 'tentative';

export interface EntityMention {
  /**
   * Stable key within a user: `person:ana`, `place:lisbon`, or for someone referred to only through the
   * speaker (`my sister`) `kin:<speaker>:sister` until a name links it to a person.
   */
  key: string;
  /** How the entity is shown: "Ana", "Lisbon", "Maya's sister". */
  name: string;
  type: EntityType;
  role: MentionRole;
  /**
   * A kinship or ownership phrase ("my sister", "my dog") with the name it was given in the same memory, if
   * any: the link that makes later "my sister" and "Ana" one entity.
   */
  alias?: string;
}
