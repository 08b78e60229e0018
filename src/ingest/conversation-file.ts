import { basename, extname } from 'node:path';
import { EngramError, ErrorCodes } from '../core/errors.js';
import type { ConversationInput, ConversationMessage } from '../memory/types.js';
import { isLocomoConversation, type LocomoConversation, locomoTurnText, parseLocomo } from './locomo.js';

export type ParsedConversationFile =
  | { format: 'locomo'; conversations: LocomoConversation[] }
  | { format: 'messages'; conversations: ConversationInput[] };

interface RawMessage {
  user?: unknown;
  agent?: unknown;
  session?: unknown;
  speaker?: unknown;
  role?: unknown;
  text?: unknown;
  at?: unknown;
  metadata?: unknown;
}

/**
 * Reads a conversation file: a JSON array or JSONL of messages `{ user, session, speaker | role, text, at }`,
 * or a LoCoMo conversation. Everything is parsed and checked before anything is stored.
 */
export function parseConversationFile(
  content: string,
  fileName: string,
  defaults: { user?: string; session?: string } = {},
): ParsedConversationFile {
  const trimmed = content.trim();
  if (trimmed === '') throw new EngramError(ErrorCodes.INVALID_INPUT, `${fileName} is empty`);
  let whole: unknown;
  let wholeError: Error | null = null;
  try {
    whole = JSON.parse(trimmed);
  } catch (e) {
    wholeError = e as Error;
  }
  if (wholeError === null) {
    if (
      isLocomoConversation(whole) ||
      (Array.isArray(whole) && whole.length > 0 && isLocomoConversation(whole[0]))
    ) {
      const id = basename(fileName, extname(fileName));
      return { format: 'locomo', conversations: parseLocomo(whole, id) };
    }
    if (!Array.isArray(whole)) {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `${fileName}: expected a JSON array of messages, JSONL, or a LoCoMo conversation`,
      );
    }
    return {
      format: 'messages',
      conversations: groupMessages(whole as RawMessage[], (i) => `item ${i}`, defaults),
    };
  }
  if (trimmed.startsWith('[')) {
    throw new EngramError(ErrorCodes.INVALID_JSON, `${fileName}: malformed JSON (${wholeError.message})`);
  }
  const lines = content.split(/\r?\n/);
  const messages: RawMessage[] = [];
  const lineOf: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      messages.push(JSON.parse(line) as RawMessage);
      lineOf.push(i + 1);
    } catch (e) {
      throw new EngramError(
        ErrorCodes.INVALID_JSON,
        `${fileName} line ${i + 1}: malformed JSON (${(e as Error).message}); nothing was ingested`,
        { line: i + 1 },
      );
    }
  });
  return { format: 'messages', conversations: groupMessages(messages, (i) => `line ${lineOf[i]}`, defaults) };
}

function groupMessages(
  messages: RawMessage[],
  where: (i: number) => string,
  defaults: { user?: string; session?: string },
): ConversationInput[] {
  const groups = new Map<string, ConversationInput>();
  messages.forEach((m, i) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      throw new EngramError(ErrorCodes.INVALID_INPUT, `${where(i)}: a message must be an object`);
    }
    const user = m.user ?? defaults.user;
    if (typeof user !== 'string' || user.trim() === '') {
      throw new EngramError(
        ErrorCodes.INVALID_INPUT,
        `${where(i)}: no user (give "user" in the message or --user)`,
      );
    }
    if (typeof m.text !== 'string' || m.text.trim() === '') {
      throw new EngramError(ErrorCodes.EMPTY_TEXT, `${where(i)}: text is missing or empty`);
    }
    const session = typeof m.session === 'string' ? m.session : (defaults.session ?? 'default');
    const agent = typeof m.agent === 'string' ? m.agent : undefined;
    const key = JSON.stringify([user, agent ?? null, session]);
    let g = groups.get(key);
    if (!g) {
      g = { user, session, messages: [] };
      if (agent !== undefined) g.agent = agent;
      groups.set(key, g);
    }
    const msg: ConversationMessage = { text: m.text };
    if (typeof m.speaker === 'string') msg.speaker = m.speaker;
    if (typeof m.role === 'string') msg.role = m.role;
    if (m.at !== undefined) {
      if (typeof m.at !== 'string' || Number.isNaN(Date.parse(m.at))) {
        throw new EngramError(ErrorCodes.INVALID_DATE, `${where(i)}: "at" is not an ISO 8601 date`);
      }
      msg.at = m.at;
    }
    if (m.metadata !== undefined) {
      if (typeof m.metadata !== 'object' || m.metadata === null || Array.isArray(m.metadata)) {
        throw new EngramError(ErrorCodes.INVALID_INPUT, `${where(i)}: metadata must be an object`);
      }
      msg.metadata = m.metadata as Record<string, unknown>;
    }
    g.messages.push(msg);
  });
  return [...groups.values()];
}

/** LoCoMo sessions as conversation inputs: turns spaced a second apart so that their order survives. */
export function locomoToConversations(conv: LocomoConversation, user: string): ConversationInput[] {
  return conv.sessions.map((s) => {
    const base = Date.parse(s.at);
    return {
      user,
      session: s.id,
      messages: s.turns.map((t, i) => {
        const metadata: Record<string, unknown> = { dialogId: t.dialogId };
        if (t.imageCaption) metadata.imageCaption = t.imageCaption;
        if (t.imageUrl) metadata.imageUrl = t.imageUrl;
        return {
          speaker: t.speaker,
          text: locomoTurnText(t),
          at: new Date(base + i * 1000).toISOString(),
          metadata,
        };
      }),
    };
  });
}
