// The SQLite catalog schema, as versioned migrations. A PostgreSQL twin will mirror these versions with
// its own types; never edit a released migration, add a new version instead.
#pragma once

#include "catalog/migration.hpp"

namespace clipdex::catalog::sqlite {

// Column set of the original tool's clips table, so later features build on it. JSON-valued columns are
// TEXT holding a JSON document; timestamps are ISO 8601 UTC text.
inline constexpr const char* kInitialSchema = R"sql(
CREATE TABLE catalog_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO catalog_info (key, value) VALUES
    ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('created_by_version', ')sql" CLIPDEX_VERSION R"sql(');

CREATE TABLE clips (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT,
    file_path          TEXT NOT NULL,
    local_path         TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    file_checksum      TEXT,
    file_size_bytes    INTEGER NOT NULL,
    file_mtime         TEXT,
    duration_seconds   REAL,
    created_at         TEXT,
    processed_at       TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    width              INTEGER,
    height             INTEGER,
    frame_rate         REAL,
    codec              TEXT,
    camera_make        TEXT,
    camera_model       TEXT,
    container          TEXT,
    content_category   TEXT,
    content_summary    TEXT,
    content_tags       TEXT,
    full_transcript    TEXT,
    transcript_preview TEXT,
    searchable_content TEXT,
    technical_metadata TEXT,
    camera_details     TEXT,
    audio_tracks       TEXT,
    subtitle_tracks    TEXT,
    thumbnails         TEXT,
    metadata           TEXT
);
CREATE INDEX idx_clips_file_checksum ON clips (file_checksum);
CREATE INDEX idx_clips_processed_at ON clips (processed_at);
CREATE INDEX idx_clips_file_path ON clips (file_path);
)sql";

// v2: the library plugin's transcript tables, and file_checksum unique so storage can upsert by checksum
// (the v1 index on it is not unique; it is replaced). local_path is indexed for the quick re-ingest check.
inline constexpr const char* kLibrarySchema = R"sql(
CREATE TABLE transcripts (
    clip_id    TEXT PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
    source     TEXT,
    language   TEXT,
    full_text  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE transcript_segments (
    clip_id       TEXT NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
    segment_index INTEGER NOT NULL,
    start_seconds REAL NOT NULL,
    end_seconds   REAL NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (clip_id, segment_index)
);
DROP INDEX IF EXISTS idx_clips_file_checksum;
CREATE UNIQUE INDEX idx_clips_file_checksum_unique ON clips (file_checksum);
CREATE INDEX idx_clips_local_path ON clips (local_path);
)sql";

// v3: search. clips_fts mirrors five clip columns (bm25 column weights are chosen at query time) and
// segments_fts the transcript segments, so a transcript hit can name its timecode. Triggers keep both in step
// with their tables inside the writer's transaction, so an index can never disagree with a committed clip.
// clip_embeddings holds one vector per (clip, kind, model): vectors of different models are never compared.
// The vector is float32 little-endian, L2-normalised, base64 text (the catalog service binds JSON scalars).
inline constexpr const char* kSearchSchema = R"sql(
CREATE VIRTUAL TABLE clips_fts USING fts5 (
    file_name, transcript, summary, tags, technical,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER clips_fts_insert AFTER INSERT ON clips BEGIN
    INSERT INTO clips_fts (rowid, file_name, transcript, summary, tags, technical)
    VALUES (new.rowid, new.file_name, new.full_transcript, new.content_summary, new.content_tags,
            new.searchable_content);
END;
CREATE TRIGGER clips_fts_update AFTER UPDATE ON clips BEGIN
    DELETE FROM clips_fts WHERE rowid = old.rowid;
    INSERT INTO clips_fts (rowid, file_name, transcript, summary, tags, technical)
    VALUES (new.rowid, new.file_name, new.full_transcript, new.content_summary, new.content_tags,
            new.searchable_content);
END;
CREATE TRIGGER clips_fts_delete AFTER DELETE ON clips BEGIN
    DELETE FROM clips_fts WHERE rowid = old.rowid;
END;
INSERT INTO clips_fts (rowid, file_name, transcript, summary, tags, technical)
    SELECT rowid, file_name, full_transcript, content_summary, content_tags, searchable_content FROM clips;

CREATE VIRTUAL TABLE segments_fts USING fts5 (
    text, clip_id UNINDEXED, segment_index UNINDEXED, start_seconds UNINDEXED, end_seconds UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER segments_fts_insert AFTER INSERT ON transcript_segments BEGIN
    INSERT INTO segments_fts (rowid, text, clip_id, segment_index, start_seconds, end_seconds)
    VALUES (new.rowid, new.text, new.clip_id, new.segment_index, new.start_seconds, new.end_seconds);
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON transcript_segments BEGIN
    DELETE FROM segments_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE ON transcript_segments BEGIN
    DELETE FROM segments_fts WHERE rowid = old.rowid;
    INSERT INTO segments_fts (rowid, text, clip_id, segment_index, start_seconds, end_seconds)
    VALUES (new.rowid, new.text, new.clip_id, new.segment_index, new.start_seconds, new.end_seconds);
END;
INSERT INTO segments_fts (rowid, text, clip_id, segment_index, start_seconds, end_seconds)
    SELECT rowid, text, clip_id, segment_index, start_seconds, end_seconds FROM transcript_segments;

CREATE TABLE clip_embeddings (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    clip_id     TEXT NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    model       TEXT NOT NULL,
    dimension   INTEGER NOT NULL,
    vector      TEXT NOT NULL,
    source_text TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (clip_id, kind, model)
);
CREATE INDEX idx_clip_embeddings_space ON clip_embeddings (kind, model, seq);

CREATE TABLE analysis (
    clip_id    TEXT PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
    provider   TEXT,
    model      TEXT,
    analysis   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_clips_codec ON clips (codec);
CREATE INDEX idx_clips_duration ON clips (duration_seconds);
)sql";

// v4: local accounts for auth providers. Secrets are never stored: passwords as argon2id strings, session
// tokens and API keys as hashes of the random token. Email is unique case-insensitively.
inline constexpr const char* kAccountsSchema = R"sql(
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    display_name  TEXT,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_seen_at TEXT,
    client       TEXT
);
CREATE INDEX idx_sessions_user ON sessions (user_id);
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX idx_api_keys_user ON api_keys (user_id);
CREATE INDEX idx_clips_user ON clips (user_id);
)sql";

// v5: every clip has an owner. Clips from before accounts existed belong to the local user ("local"), and the
// same file may be in two users' libraries, so checksums are unique per owner rather than catalog-wide.
// The full-text trigger now fires only when an indexed column changes: v3's fired on every UPDATE, so setting
// the owners rewrote (and fragmented) the whole index, which slowed ranked queries by half at 100k clips.
inline constexpr const char* kOwnershipSchema = R"sql(
DROP TRIGGER clips_fts_update;
CREATE TRIGGER clips_fts_update
AFTER UPDATE OF file_name, full_transcript, content_summary, content_tags, searchable_content ON clips BEGIN
    DELETE FROM clips_fts WHERE rowid = old.rowid;
    INSERT INTO clips_fts (rowid, file_name, transcript, summary, tags, technical)
    VALUES (new.rowid, new.file_name, new.full_transcript, new.content_summary, new.content_tags,
            new.searchable_content);
END;
UPDATE clips SET user_id = 'local' WHERE user_id IS NULL;
DROP INDEX IF EXISTS idx_clips_file_checksum_unique;
CREATE UNIQUE INDEX idx_clips_user_checksum ON clips (user_id, file_checksum);
CREATE INDEX idx_clips_file_checksum ON clips (file_checksum);
)sql";

// v6: durable background jobs (host/jobs, docs/service/jobs.md). A job keeps its owner's principal so it can run
// as them after a restart; job_files keeps per-file and per-step state so a resumed job skips finished files.
inline constexpr const char* kJobsSchema = R"sql(
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL,
    principal        TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'ingest' CHECK (kind IN ('ingest', 'command')),
    directory        TEXT NOT NULL,
    args             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    message          TEXT NOT NULL DEFAULT '',
    error            TEXT,
    total_files      INTEGER NOT NULL DEFAULT 0,
    completed_files  INTEGER NOT NULL DEFAULT 0,
    skipped_files    INTEGER NOT NULL DEFAULT 0,
    failed_files     INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    scanned          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    ended_at         TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX idx_jobs_user_created ON jobs (user_id, created_at);
CREATE INDEX idx_jobs_status ON jobs (status);
CREATE TABLE job_files (
    job_id          TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    path            TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'processing', 'completed', 'skipped', 'failed', 'cancelled')),
    current_step    TEXT NOT NULL DEFAULT '',
    progress        INTEGER NOT NULL DEFAULT 0,
    steps           TEXT NOT NULL DEFAULT '{}',
    completed_steps TEXT NOT NULL DEFAULT '[]',
    clip_id         TEXT,
    error           TEXT,
    started_at      TEXT,
    completed_at    TEXT,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX idx_job_files_status ON job_files (job_id, status);
)sql";

inline MigrationList builtinMigrations() {
    return {
        {1, "initial schema: catalog_info, clips", kInitialSchema},
        {2, "transcripts, transcript_segments, unique clips.file_checksum", kLibrarySchema},
        {3, "search: clips_fts, segments_fts, clip_embeddings, analysis", kSearchSchema},
        {4, "accounts: users, sessions, api_keys", kAccountsSchema},
        {5, "ownership: clips.user_id set, checksums unique per owner; full-text trigger on indexed columns only",
         kOwnershipSchema},
        {6, "jobs: jobs, job_files", kJobsSchema},
    };
}

}  // namespace clipdex::catalog::sqlite
