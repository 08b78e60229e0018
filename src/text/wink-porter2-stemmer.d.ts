declare module 'wink-porter2-stemmer' {
  /** Porter2 stem of one lower-case English word. */
  export default function porter2(word: string): string;
}
