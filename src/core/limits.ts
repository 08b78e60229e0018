/**
 * The longest query a search, context or question takes, on every interface (library, CLI, REST, MCP).
 * Analysing a query costs event-loop time in proportion to its length, and a context runs it three times;
 * the bound keeps one call well under 100 ms, and a real question or task description is far shorter.
 */
export const MAX_QUERY_LENGTH = 4_000;
