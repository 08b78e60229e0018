/** An OpenAI-compatible chat client, used for fact extraction, conflict judgement and summaries. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  /** Ask the endpoint for a JSON object (response_format json_object). */
  json?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  temperature?: number;
}

export interface LlmClient {
  readonly id: string;
  /** Returns the assistant message text. Throws EngramError(LLM_ERROR | TIMEOUT). */
  chat(messages: ChatMessage[], options?: ChatOptions): Promise<string>;
}
