// clipdex.vectors honours the full-text backend's whole filter set (plugins/common/clip_filters.hpp): each
// filter the vector backends gained (hdr, created / processed ranges, has_transcript, audio_language,
// container) narrows semantic, hybrid and similar to exactly the clips it names, on the real catalog of
// vectors_test_support.hpp with a few facts set per clip.
#include <set>

#include "vectors_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::vectors_test::VectorsCatalog;
using Names = std::set<std::string>;

class VectorsFilters : public VectorsCatalog {
protected:
    void SetUp() override {
        VectorsCatalog::SetUp();
        if (HasFatalFailure()) return;
        auto update = [](const std::string& sql, const std::string& file) {
            return json{{"sql", sql}, {"params", {{"file", file}}}};
        };
        runtime_->catalog().transaction(json::array(
            {{{"sql",
               "UPDATE clips SET created_at = '2025-06-01T10:00:00Z', processed_at = '2025-06-02T10:00:00Z', "
               "audio_tracks = '[{\"index\": 1, \"language\": \"eng\"}]'"}},
             update("UPDATE clips SET technical_metadata = json_set(COALESCE(technical_metadata, '{}'), "
                    "'$.color_details', json('{\"hdr\": {\"format\": \"HLG\"}}')) WHERE file_name = :file",
                    "forest.mp4"),
             update("UPDATE clips SET created_at = '2020-05-01T10:00:00Z' WHERE file_name = :file", "concert.mp4"),
             update("UPDATE clips SET processed_at = '2020-05-02T10:00:00Z' WHERE file_name = :file", "kitchen.mp4"),
             update("UPDATE clips SET audio_tracks = '[{\"index\": 1, \"language\": \"fra\"}]' WHERE file_name = "
                    ":file",
                    "harbor.mp4")}));
    }

    static Names all() {
        Names out;
        for (const auto& spec : clipdex::vectors_test::clipSpecs()) out.insert(spec.file);
        return out;
    }
    static Names allBut(const Names& left_out) {
        Names out = all();
        for (const std::string& file : left_out) out.erase(file);
        return out;
    }
    static Names set(const json& hits) {
        const auto list = names(hits);
        return Names(list.begin(), list.end());
    }
};

TEST_F(VectorsFilters, EveryFilterNarrowsSemanticHybridAndSimilarToTheClipsItNames) {
    const std::vector<std::pair<json, Names>> cases = {
        {{{"hdr", "yes"}}, {"forest.mp4"}},
        {{{"hdr", "hlg"}}, {"forest.mp4"}},
        {{{"hdr", "HDR10"}}, {}},
        {{{"hdr", false}}, allBut({"forest.mp4"})},
        {{{"created_before", "2021-01-01"}}, {"concert.mp4"}},
        {{{"created_after", "2021-01-01"}}, allBut({"concert.mp4"})},
        {{{"processed_before", "2020-05-02"}}, {"kitchen.mp4"}},
        {{{"processed_after", "2021-01-01"}}, allBut({"kitchen.mp4"})},
        {{{"has_transcript", false}}, {"silent.mp4"}},
        {{{"has_transcript", "yes"}}, allBut({"silent.mp4"})},
        {{{"audio_language", "FRA"}}, {"harbor.mp4"}},
        {{{"audio_language", "eng"}}, allBut({"harbor.mp4"})},
        {{{"container", "mkv"}}, {"harbor_again.mkv"}},
        {{{"container", "MPEG-4"}}, allBut({"harbor_again.mkv"})},
        {{{"container", "mp4"}, {"has_transcript", true}, {"created_after", "2021-01-01"}},
         allBut({"harbor_again.mkv", "silent.mp4", "concert.mp4"})},
    };
    for (const auto& [filters, expected] : cases) {
        SCOPED_TRACE(filters.dump());
        // Threshold -1 keeps every candidate, so the hits are exactly the clips the filters let through.
        const json semantic =
            search("semantic", {{"q", "harbor forest crowd kitchen"}, {"threshold", -1.0}, {"filters", filters}});
        EXPECT_EQ(set(semantic["hits"]), expected) << semantic.dump();
        EXPECT_EQ(semantic["summary"]["filters"]["applied"], filters);
        const json hybrid =
            search("hybrid", {{"q", "harbor forest crowd kitchen"}, {"threshold", -1.0}, {"filters", filters}});
        EXPECT_EQ(set(hybrid["hits"]), expected) << hybrid.dump();
        const json similar = search("similar", {{"clip_id", id("harbor.mp4")},
                                                {"mode", "text"},
                                                {"threshold", -1.0},
                                                {"limit", 10},
                                                {"filters", filters}});
        Names others = expected;
        others.erase("harbor.mp4");
        EXPECT_EQ(set(similar["hits"]), others) << similar.dump();
    }
}

TEST_F(VectorsFilters, AnUnknownFilterOrABadValueIsRefusedNamingTheField) {
    for (const char* backend_id : {"semantic", "hybrid", "similar"}) {
        SCOPED_TRACE(backend_id);
        for (const auto& [filters, field] :
             std::vector<std::pair<json, std::string>>{{{{"hdr", "purple"}}, "hdr"},
                                                       {{{"created_after", "yesterday"}}, "created_after"},
                                                       {{{"has_transcript", "maybe"}}, "has_transcript"},
                                                       {{{"colour", "red"}}, "colour"}}) {
            json query{{"filters", filters}};
            if (std::string(backend_id) == "similar")
                query["clip_id"] = id("harbor.mp4");
            else
                query["q"] = "harbor";
            const auto outcome = backend(backend_id, query);
            EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT) << outcome.message;
            EXPECT_NE(outcome.message.find(field), std::string::npos) << outcome.message;
        }
    }
}

}  // namespace
