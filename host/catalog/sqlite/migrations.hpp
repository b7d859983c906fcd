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

inline MigrationList builtinMigrations() {
    return {
        {1, "initial schema: catalog_info, clips", kInitialSchema},
        {2, "transcripts, transcript_segments, unique clips.file_checksum", kLibrarySchema},
    };
}

}  // namespace clipdex::catalog::sqlite
