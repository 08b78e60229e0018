/**
 * The SQLite schema as forward-only migrations. `user_version` holds the schema version; `engram_meta`
 * marks the file as an Engram database so that we never write into someone else's SQLite file.
 */
export const SCHEMA_VERSION = 3;
export const FORMAT_MARK = 'engram';

export const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE engram_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE memories (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      tenant TEXT NOT NULL,
      user_id TEXT NOT NULL,
      agent TEXT,
      session TEXT,
      kind TEXT NOT NULL,
      speaker TEXT,
      role TEXT,
      text TEXT NOT NULL,
      metadata TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      valid_from TEXT NOT NULL,
      valid_to TEXT,
      superseded_by TEXT,
      importance REAL NOT NULL,
      strength REAL NOT NULL,
      access_count INTEGER NOT NULL,
      last_accessed_at TEXT,
      embedding_model TEXT,
      status TEXT NOT NULL
    );
    CREATE INDEX memories_user_time ON memories (tenant, user_id, occurred_at);
    CREATE INDEX memories_user_session ON memories (tenant, user_id, session);
    CREATE INDEX memories_user_kind ON memories (tenant, user_id, kind);
    CREATE INDEX memories_user_speaker ON memories (tenant, user_id, speaker);
    -- Contentless: the analysed terms are indexed but not stored twice, and rows can still be deleted,
    -- which hard erasure needs. The scope column holds one opaque token per (tenant, user), so that a user's
    -- search intersects posting lists instead of scoring the whole tenant. The context column holds a turn's speaker and neighbouring turns (see fts-index.ts).
    CREATE VIRTUAL TABLE memories_fts USING fts5 (
      terms, context, scope, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    );
    CREATE TABLE vectors (
      seq INTEGER NOT NULL REFERENCES memories (seq) ON DELETE CASCADE,
      model TEXT NOT NULL,
      vector BLOB NOT NULL,
      PRIMARY KEY (seq, model)
    ) WITHOUT ROWID;
    CREATE TABLE history (
      seq INTEGER PRIMARY KEY,
      memory_id TEXT NOT NULL,
      tenant TEXT NOT NULL,
      user_id TEXT NOT NULL,
      action TEXT NOT NULL,
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      before TEXT,
      after TEXT
    );
    CREATE INDEX history_memory ON history (tenant, memory_id);
    CREATE INDEX history_user ON history (tenant, user_id);
  `,
  // Entity mentions (src/entities/), written with their memory. Memories stored before this version get
  // theirs from the next maintain (../mention-scan.ts).
  2: `
    CREATE TABLE mentions (
      seq INTEGER NOT NULL REFERENCES memories (seq) ON DELETE CASCADE,
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      role TEXT NOT NULL,
      alias TEXT,
      PRIMARY KEY (seq, key)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_key ON mentions (key);
    CREATE INDEX mentions_alias ON mentions (alias) WHERE alias IS NOT NULL;
  `,
  // Event times (EventTimeIndexer): when what a memory tells about happened, in whole UTC days since
  // 1970-01-01, [start_day, end_day). Filled for memories stored before this version on the next open
  // (event-times.ts), gone with their memory (ON DELETE CASCADE).
  3: `
    CREATE TABLE event_times (
      seq INTEGER NOT NULL REFERENCES memories (seq) ON DELETE CASCADE,
      tenant TEXT NOT NULL,
      user_id TEXT NOT NULL,
      start_day INTEGER NOT NULL,
      end_day INTEGER NOT NULL,
      granularity TEXT NOT NULL,
      PRIMARY KEY (seq, start_day, end_day)
    ) WITHOUT ROWID;
    CREATE INDEX event_times_user_start ON event_times (tenant, user_id, start_day);
  `,
};
