/**
 * Does a derived fact stand on its own? Rule-extracted facts keep the speaker's wording with "I" replaced by
 * a name, so some point at things only the conversation around them explains ("Tom loves their design.",
 * "Ana is heading there in April."), address the listener ("… wanted to tell you about …"), or came out
 * garbled ("Ana is gonna keep pushing Ana", "Ana did in the week of …"). Such a line costs prompt tokens and
 * tells the model nothing, so the context leaves it out; the turn it came from still can be shown.
 *
 * Only the main clause is checked for pointers: "Ana went to a concert on 3 May and it was loud" names what
 * "it" is before saying it. Text in brackets is the template's own ("moved there recently") and is skipped.
 */

/** Words that point at something said elsewhere. */
const POINTERS_EN = new Set([
  'it',
  'its',
  'they',
  'them',
  'their',
  'theirs',
  'there',
  'here',
  'this',
  'that',
  'these',
  'those',
  'he',
  'she',
  'him',
  'her',
  'his',
  'hers',
  'one',
]);
/** Third-person singular pronouns: self-contained when they follow the person's name in the same fact. */
const PERSON_PRONOUNS_EN = new Set(['he', 'she', 'him', 'her', 'his', 'hers']);
/** Words that speak to the listener or to the conversation rather than about the world. */
const ADDRESS_EN = new Set(['you', 'your', 'yours', "let's", 'lets', 'u', 'ya']);
const AUX_EN = new Set([
  'did',
  'does',
  'do',
  'was',
  'is',
  'were',
  'are',
  'has',
  'had',
  'have',
  'will',
  'would',
]);
const PREP_EN = new Set([
  'in',
  'on',
  'at',
  'for',
  'with',
  'to',
  'by',
  'during',
  'about',
  'from',
  'last',
  'this',
]);
/** Where a second clause starts: a pointer after it has its antecedent before it. */
const CLAUSE_BREAK = /\s+(?:and|but|so|because|which|when|while|after|before|since)\s+|\s*[,;:–—-]\s+/i;
const POINTERS_ZH = /它|它们|那里|那儿|这里|这儿|这个|那个|这些|那些|他们|她们|你|您|咱们|他|她/;

/** The leading name of a fact ("Ana Lopez works as …" → "Ana"), or null when it starts otherwise. */
function leadingName(text: string): string | null {
  const m = /^(\p{Lu}[\p{L}'-]*)/u.exec(text);
  return m ? m[1]! : null;
}

function standsAloneZh(text: string): boolean {
  return !POINTERS_ZH.test(text.replace(/[（(][^）)]*[）)]/g, ''));
}

/** True when `text` reads as a complete statement without the conversation it came from. */
export function standsAlone(text: string): boolean {
  const plain = text.replace(/\([^)]*\)/g, ' ').trim();
  if (/\p{Script=Han}/u.test(plain)) return standsAloneZh(plain);
  const words = plain.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length < 3) return false;
  if (words.some((w) => ADDRESS_EN.has(w))) return false;
  const main = plain.split(CLAUSE_BREAK)[0] ?? plain;
  const mainWords = main.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const name = leadingName(plain);
  // A person named first is what a later he/she/her/his points back to ("Kasia grows chillies on her
  // balcony"); without that name the pronoun points at someone said elsewhere.
  const named = name !== null && !POINTERS_EN.has(name.toLowerCase());
  const pointer = (w: string) => POINTERS_EN.has(w) && !(named && PERSON_PRONOUNS_EN.has(w));
  if (mainWords.some(pointer)) return false;
  // "Ana did in the week of …": an auxiliary with nothing done.
  if (mainWords.length >= 3 && AUX_EN.has(mainWords[1]!) && PREP_EN.has(mainWords[2]!)) return false;
  if (name) {
    // The name again as the object of a verb ("… keep pushing Ana") is a replaced "myself": garbled.
    const again = new RegExp(`(\\S+)\\s+${name}(?!['’]s)\\b`, 'gu');
    for (const m of plain.matchAll(again)) {
      if (!/^(?:and|or|-|–|—)$|[,.;:!?]$/.test(m[1]!)) return false;
    }
    if ((plain.match(new RegExp(`\\b${name}\\b`, 'gu'))?.length ?? 0) >= 3) return false;
  }
  return true;
}
