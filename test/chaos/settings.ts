/**
 * How hard the chaos suite pushes. `npm test` runs the CI setting (a couple of minutes in all);
 * `npm run chaos -- --long` sets ENGRAM_CHAOS_LONG=1 for the long one, whose figures are in docs/reliability.md.
 */
export const LONG = process.env.ENGRAM_CHAOS_LONG === '1';

export const CHAOS = {
  /** SIGKILLs of a server under concurrent writes. */
  kills: LONG ? 100 : 10,
  /** Concurrent HTTP writers per kill round. */
  writers: 6,
  /** Property runs per REST route and per MCP tool. */
  fuzzRuns: LONG ? 400 : 40,
  /** Idle sockets opened at once against the socket timeouts. */
  idleSockets: LONG ? 1000 : 200,
  /** Erase-while-reading rounds. */
  eraseRounds: LONG ? 10 : 1,
} as const;

/** A word made of letters only, unique per n: analysed as one term, so a search finds exactly its memory. */
export function uniqueWord(n: number): string {
  let s = '';
  let v = n;
  do {
    s = String.fromCharCode(97 + (v % 26)) + s;
    v = Math.floor(v / 26);
  } while (v > 0);
  // The closing "z" keeps the stemmer off the word: "qxbpy" and "qxbpi" would both stem to "qxbpi" and tie.
  return `qx${s}z`;
}
