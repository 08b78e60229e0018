/**
 * Memory text goes into prompts, and anyone who could write a memory could try to write instructions for
 * the model that later reads it ("ignore previous instructions …"). Context blocks therefore present every
 * memory as a quoted string (JSON string syntax: one line, quotes and newlines escaped), neutralise the
 * markup a model treats as structure (chat-template role tags, closing tags of the block itself), and flag
 * the ids of memories that look like instructions so callers can log or drop them.
 */

const INSTRUCTION_PATTERNS: RegExp[] = [
  // "ignore / disregard / forget (all) (the) previous instructions"
  /\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.!?\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system)\b[^.!?\n]{0,40}?\b(?:instructions?|prompts?|rules|directions|guidelines|context|messages?|constraints)\b/i,
  /\b(?:you are now|from now on,? you|act as (?:an?|the) |pretend (?:to be|you are)|new instructions?:|system prompt|developer mode|jailbreak|do anything now)\b/i,
  /\b(?:reveal|print|show|output|repeat) (?:your|the) (?:system )?(?:prompt|instructions)\b/i,
  // Markdown headings open a new section of a prompt.
  /^\s{0,3}#{1,6}\s+\S/m,
  // Role prefixes at the start of a line: "system: …", "assistant: …".
  /^\s*(?:system|assistant|developer|tool|user)\s*:/im,
  // Chat-template and pseudo-XML role tags.
  /<\|[a-z_]+\|>/i,
  /<\/?\s*(?:system|assistant|user|developer|instructions?|prompt|memory|memories|context|im_start|im_end)\b[^>]*>/i,
  /\[\/?(?:INST|SYS)\]|<<\/?SYS>>/,
  // Chinese: 忽略之前的指令, 你现在是…
  /(?:忽略|无视|忘记|忘掉)[^。！？\n]{0,10}(?:之前|以上|前面|上面|所有|全部)?[^。！？\n]{0,6}(?:指令|指示|说明|提示|规则)/,
  /你现在是|从现在开始你|系统提示/,
];

/** Whether a memory's text reads like an instruction to a model rather than a statement about the user. */
export function looksLikeInstruction(text: string): boolean {
  return INSTRUCTION_PATTERNS.some((re) => re.test(text));
}

/**
 * The text as one quoted line a model reads as data: "<|im_start|>" and "</memory>" lose their angle
 * brackets (‹ ›), so neither a chat template nor the block's own closing tag can be forged, and JSON string
 * escaping keeps a newline, a quote or a heading from leaving the quotes.
 */
export function quoteAsData(text: string): string {
  const defused = text
    .replace(/<(\/?\s*\|?[a-z_]+\|?\s*)>/gi, '‹$1›')
    .replace(/<\|/g, '‹|')
    .replace(/\|>/g, '|›');
  return JSON.stringify(defused);
}
