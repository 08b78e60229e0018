/**
 * The SQLite store joins a memory's tokens with spaces and lets FTS5's unicode61 tokenizer split them again.
 * To index exactly the same tokens, the PostgreSQL store splits each token the same way: runs of letters,
 * numbers, private-use characters and combining diacritical marks (U+0300–U+036F), folded to lower case.
 * (unicode61 also keeps a few other marks; the analyzer's tokens rarely hold any.)
 */
const FTS5_TOKEN = /(?:[\p{L}\p{N}\p{Co}]|[\u0300-\u036f])+/gu;

export function fts5Tokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    for (const piece of t.toLowerCase().match(FTS5_TOKEN) ?? []) out.push(piece);
  }
  return out;
}

/** Occurrences of each distinct token. */
export function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
