import { join } from 'node:path';
import { describe } from 'node:test';
import { freshPostgresUrl } from '../helpers/backend.js';
import { tempDir } from '../helpers/cli.js';
import { crashDuringAddConversation } from '../helpers/crash-add-conversation.js';

describe('crash safety of addConversation', () => {
  crashDuringAddConversation('SQLite file', { create: async () => join(tempDir('engram-crash-'), 'c.db') });
  crashDuringAddConversation('PostgreSQL schema', { create: async () => freshPostgresUrl('crash') });
});
