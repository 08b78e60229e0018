import { recognizeEntities } from '../entities/recognize.js';
import type { ScoredMemory } from './signals.js';

/**
 * Questions that ask for a place: "Which country should I visit?", "Where did she move from?", 你去过哪些城市？
 * Their answer names a place ("a trip to New Zealand"), while the words they share with the memories are
 * often the verb ("visit"), which the turns around the answer say too.
 */
const ASKS_PLACE = new RegExp(
  [
    '\\bwhere\\b',
    '\\b(?:which|what)\\s+(?:countr(?:y|ies)|cit(?:y|ies)|towns?|places?|states?|destinations?)\\b',
    '哪里|哪儿|什么地方|(?:哪个|哪些|哪座)(?:国家|城市|地方)',
  ].join('|'),
  'iu',
);

export function asksForPlace(query: string): boolean {
  return ASKS_PLACE.test(query);
}

/**
 * A question that asks for a place lifts the memories that name one (the entity recogniser's places: a
 * capitalised name after "in", "to", "from" …, or a Chinese place name), by `bonus`; re-sorted. Runs after
 * the answer hand-over, so a question turn that names the place and the reply that tells it are judged on
 * what they say. 0 = off.
 */
export function boostPlaces(scored: ScoredMemory[], query: string, bonus: number): ScoredMemory[] {
  if (bonus <= 0 || !asksForPlace(query)) return scored;
  for (const s of scored) {
    if (recognizeEntities(s.memory.text).some((e) => e.type === 'place')) {
      s.score += bonus;
      s.signals.place = bonus;
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}
