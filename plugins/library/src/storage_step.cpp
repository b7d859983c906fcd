// database_storage_step: upserts the clip by checksum and replaces its transcript, in one transaction.
#include <sstream>

#include "clip_row.hpp"

namespace library {
namespace {

// Columns the clip row is written with. On update, a column no step produced this time keeps its value.
constexpr const char* kColumns[] = {"user_id",
                                    "file_path",
                                    "local_path",
                                    "file_name",
                                    "file_checksum",
                                    "file_size_bytes",
                                    "file_mtime",
                                    "duration_seconds",
                                    "created_at",
                                    "width",
                                    "height",
                                    "frame_rate",
                                    "codec",
                                    "camera_make",
                                    "camera_model",
                                    "container",
                                    "full_transcript",
                                    "transcript_preview",
                                    "searchable_content",
                                    "technical_metadata",
                                    "camera_details",
                                    "audio_tracks",
                                    "subtitle_tracks",
                                    "thumbnails",
                                    "metadata"};

// Always replaced on update: they describe the file as seen in this run.
bool overwrites(const std::string& column) {
    return column == "file_path" || column == "local_path" || column == "file_name" || column == "file_size_bytes" ||
           column == "file_mtime" || column == "searchable_content" || column == "metadata";
}

std::string upsertSql() {
    std::ostringstream names, values, updates;
    for (const char* column : kColumns) {
        names << ", " << column;
        values << ", :" << column;
        if (std::string(column) == "file_checksum" || std::string(column) == "user_id") continue;
        updates << ", " << column << " = ";
        if (overwrites(column))
            updates << "excluded." << column;
        else
            updates << "COALESCE(excluded." << column << ", clips." << column << ")";
    }
    return "INSERT INTO clips (id, processed_at, updated_at" + names.str() + ") VALUES (:id, :now, :now" +
           values.str() + ") ON CONFLICT (user_id, file_checksum) DO UPDATE SET processed_at = excluded.processed_at, " +
           "updated_at = excluded.updated_at" + updates.str();
}

constexpr const char* kClipIdOf = "(SELECT id FROM clips WHERE user_id = :owner AND file_checksum = :checksum)";

class StorageStep final : public clipdex::Step {
public:
    explicit StorageStep(const clipdex::Host& host) : host_(host), upsert_sql_(upsertSql()) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const json& checksum_out = stepOutputs(inputs, "generate_checksum_step");
        if (!checksum_out.contains("checksum") || !checksum_out["checksum"].is_string())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "generate_checksum_step gave no checksum");
        const std::string checksum = checksum_out["checksum"].get<std::string>();
        const FileFacts file = fileFacts(inputs);
        const std::string new_id = newUuid();
        const std::string now = nowIso();

        json params = clipColumns(inputs, file, checksum);
        const std::string owner = ownerOf(ctx);
        params["user_id"] = owner;
        params["id"] = new_id;
        params["now"] = now;
        json statements = json::array({{{"sql", upsert_sql_}, {"params", params}}});

        const json transcript = transcriptFrom(inputs);
        if (!transcript.is_null()) appendTranscript(statements, transcript, checksum, owner, now);

        ctx.throwIfCancelled();
        const auto catalog = host_.catalog();
        catalog.transaction(ctx, statements);
        const json rows =
            catalog.query(ctx, "SELECT id FROM clips WHERE user_id = :owner AND file_checksum = :checksum",
                          {{"checksum", checksum}, {"owner", owner}});
        if (rows.empty()) throw clipdex::Error(CDX_E_INTERNAL, "the stored clip is missing after commit");
        const std::string clip_id = rows.at(0).at("id").get<std::string>();
        return {{"clip_id", clip_id}, {"stored_in_database", true}, {"created", clip_id == new_id}};
    }

private:
    static void appendTranscript(json& statements, const json& transcript, const std::string& checksum,
                                 const std::string& owner, const std::string& now) {
        statements.push_back({{"sql", std::string("DELETE FROM transcript_segments WHERE clip_id = ") + kClipIdOf},
                              {"params", {{"checksum", checksum}, {"owner", owner}}}});
        statements.push_back(
            {{"sql", std::string("INSERT INTO transcripts (clip_id, source, language, full_text, created_at) "
                                 "VALUES (") +
                         kClipIdOf +
                         ", :source, :language, :full_text, :now) ON CONFLICT (clip_id) DO UPDATE SET "
                         "source = excluded.source, language = excluded.language, "
                         "full_text = excluded.full_text, created_at = excluded.created_at"},
             {"params",
              {{"checksum", checksum},
               {"owner", owner},
               {"source", transcript["source"]},
               {"language", transcript["language"]},
               {"full_text", transcript["full_text"]},
               {"now", now}}}});
        const std::string insert_segment =
            std::string(
                "INSERT INTO transcript_segments (clip_id, segment_index, start_seconds, end_seconds, "
                "text) VALUES (") +
            kClipIdOf + ", :i, :start, :end, :text)";
        std::int64_t index = 0;
        for (const json& segment : transcript["segments"]) {
            statements.push_back({{"sql", insert_segment},
                                  {"params",
                                   {{"checksum", checksum},
                                    {"owner", owner},
                                    {"i", index++},
                                    {"start", segment["start_seconds"]},
                                    {"end", segment["end_seconds"]},
                                    {"text", segment["text"]}}}});
        }
    }

    const clipdex::Host& host_;
    std::string upsert_sql_;
};

}  // namespace

std::unique_ptr<clipdex::Step> makeStorageStep(const clipdex::Host& host) {
    return std::make_unique<StorageStep>(host);
}

}  // namespace library
