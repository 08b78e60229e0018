/**
 * Inference questions ("Would Ana likely enjoy a concert?", "Would Tom be interested in a cooking class?")
 * ask whether something suits a person; question-shape.ts decides the shape. Their verb of taste ("enjoy",
 * "interested", "prefer") says nothing about the topic, yet it is a rare enough word for BM25 to weigh: every
 * turn that says "we enjoy hiking" matches "Would Ana enjoy the song …" on it, whatever it enjoys. The
 * evidence is what she said about the topic (music, the song's composer), so the lists search for the topic
 * alone.
 */

/**
 * Verbs and adjectives of liking that frame the question. "open" (to), "like", "love" and "want" are left
 * in: "open" has other senses (open a shop, an open mic), and the others are measured no better
 * (docs/retrieval.md, third round on issue 15).
 */
const TASTE_WORDS = /\b(?:enjoy|enjoying|interested|prefer)\b/giu;

/**
 * The question with its words of taste taken out (whitespace collapsed), or the question itself when nothing
 * else with a letter is left.
 */
export function inferenceTopic(question: string): string {
  const out = question.replace(TASTE_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return out === question.trim() || !/\p{L}/u.test(out) ? question : out;
}
