/**
 * Invitations to tell: a turn that ends by asking the other to go on ("You can talk to me about it.",
 * "I'm all ears!", 你可以跟我讲一讲。, 我洗耳恭听！) asks for an answer as a question does, without a question
 * mark. The turn after it holds what was told ("I'm preparing for a speech and I'm nervous"), so the
 * answer hand-over (signals.ts) treats it like a question. Only the last sentence counts: "Tell me about
 * it. I love dogs." has moved on, and "She didn't tell me." is not addressed to anyone.
 */
const INVITATION = new RegExp(
  [
    // Permission or request: "you can talk to me about it", "feel free to share it with me", "please tell me".
    '\\b(?:you\\s+can|you\\s+could|feel\\s+free\\s+to|please|go\\s+ahead\\s+and)\\s+(?:tell|talk\\s+to|share\\s+(?:it\\s+|them\\s+)?with)\\s+me\\b',
    // A bare imperative ("Tell me all about it!") was measured too and is left out: docs/retrieval.md.
    "\\bI(?:['’]?m|\\s+am)\\s+(?:all\\s+ears|listening)\\b",
    // 跟我讲讲 / 和我说一说 / 对我聊聊: the reduplicated or 一 form is the request; 他和我说过 is a report.
    '(?:跟我|和我|给我|对我|同我)(?:讲讲|说说|讲一讲|说一说|聊聊|聊一聊|谈谈|分享一下)',
    '洗耳恭听|说来听听|我(?:在)?听着|请讲|请说',
  ].join('|'),
  'iu',
);
/** The text after the last sentence end that is followed by more text, with its own final punctuation. */
const LAST_SENTENCE = /[^.!?。！？]*[.!?。！？]*\s*$/u;

/**
 * An invitation is a short closing sentence: only the turn's last characters are read, so a long turn costs
 * no more than a short one (every turn of a search's candidates is checked; 100 turns of 9,000 characters
 * took ~100 ms of the event loop when the whole text was scanned).
 */
const TAIL = 240;

/** The turn's last sentence invites the other speaker to tell (English and Chinese). */
export function isInvitation(text: string): boolean {
  const last = (LAST_SENTENCE.exec(text.trim().slice(-TAIL))?.[0] ?? '').trim();
  return INVITATION.test(last);
}
