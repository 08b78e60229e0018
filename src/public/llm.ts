/** `engram-memory/llm`: chat clients for `open({ llm })` (which also takes a spec string directly). */
export { createOpenAIChatClient, type OpenAIChatClientOptions } from '../llm/openai-chat.js';
export { type LlmChoice, parseLlmSpec, resolveLlm as createLlm } from '../llm/spec.js';
export type { ChatMessage, ChatOptions, LlmClient } from '../llm/types.js';
