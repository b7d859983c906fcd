// Pure parts of clipdex.vectors: RRF numbers, match types, text building, truncation, the vector codec.
#include <gtest/gtest.h>

#include <cmath>

#include "embedding_text.hpp"
#include "rrf.hpp"
#include "vector_codec.hpp"

namespace {

using vectors::json;

TEST(VectorsRrf, FusesWithWeightsOverKPlusOneBasedRank) {
    const std::vector<vectors::RankedList> lists{
        {"fulltext", 2.5, {{"a", 9.0}, {"b", 7.0}}},
        {"summary", 1.0, {{"b", 0.9}, {"c", 0.8}, {"a", 0.7}}},
        {"keyword", 0.8, {{"c", 0.6}}},
    };
    const auto fused = vectors::fuseRrf(lists, 50);
    ASSERT_EQ(fused.size(), 3U);
    // a: 2.5/51 + 1.0/53; b: 2.5/52 + 1.0/51; c: 1.0/52 + 0.8/51
    EXPECT_EQ(fused[0].id, "a");
    EXPECT_DOUBLE_EQ(fused[0].rrf, 2.5 / 51 + 1.0 / 53);
    EXPECT_EQ(fused[1].id, "b");
    EXPECT_DOUBLE_EQ(fused[1].rrf, 2.5 / 52 + 1.0 / 51);
    EXPECT_EQ(fused[2].id, "c");
    EXPECT_DOUBLE_EQ(fused[2].rrf, 1.0 / 52 + 0.8 / 51);
    EXPECT_EQ(fused[0].lists.at("fulltext").rank, 1);
    EXPECT_EQ(fused[0].lists.at("summary").rank, 3);
    EXPECT_DOUBLE_EQ(fused[0].lists.at("summary").score, 0.7);
    EXPECT_EQ(fused[0].lists.count("keyword"), 0U);
    EXPECT_EQ(vectors::matchType(fused[0]), "hybrid");
    EXPECT_EQ(vectors::matchType(fused[2]), "semantic");
}

TEST(VectorsRrf, KAndWeightsChangeTheOrderAndTiesAreDeterministic) {
    const std::vector<vectors::RankedList> lists{{"fulltext", 1.0, {{"x", 1}}}, {"summary", 1.0, {{"y", 1}}}};
    const auto tie = vectors::fuseRrf(lists, 60);
    ASSERT_EQ(tie.size(), 2U);
    EXPECT_DOUBLE_EQ(tie[0].rrf, 1.0 / 61);
    EXPECT_EQ(tie[0].id, "x") << "equal score and rank: by id";
    EXPECT_EQ(vectors::matchType(tie[0]), "fulltext");
    const std::vector<vectors::RankedList> weighted{{"fulltext", 1.0, {{"x", 1}}}, {"summary", 3.0, {{"y", 1}}}};
    const auto fused = vectors::fuseRrf(weighted, 1);
    EXPECT_EQ(fused[0].id, "y");
    EXPECT_DOUBLE_EQ(fused[0].rrf, 3.0 / 2);
    EXPECT_DOUBLE_EQ(fused[1].rrf, 1.0 / 2);
}

TEST(VectorsRrf, RepeatedIdCountsOnceAtItsBestRankAndEmptyListsAreFine) {
    const std::vector<vectors::RankedList> lists{{"summary", 1.0, {{"a", 0.9}, {"a", 0.5}, {"b", 0.4}}},
                                                 {"keyword", 0.8, {}}};
    const auto fused = vectors::fuseRrf(lists, 50);
    ASSERT_EQ(fused.size(), 2U);
    EXPECT_DOUBLE_EQ(fused[0].rrf, 1.0 / 51);
    EXPECT_DOUBLE_EQ(fused[1].rrf, 1.0 / 53) << "b keeps its position in the list";
    EXPECT_TRUE(vectors::fuseRrf({}, 50).empty());
}

TEST(VectorsText, SummaryFromAnalysisIsOrderedAndDeterministic) {
    vectors::ClipFacts facts;
    facts.clip = {{"file_name", "x.mp4"}};
    facts.analysis = {{"summary",
                       {{"content_category", "Tutorial"},
                        {"overall", "A man repairs a bike."},
                        {"key_activities", {"repairing", "talking"}}}},
                      {"visual_analysis",
                       {{"shot_types",
                         {{{"shot_attributes_ordered", {"Wide Shot", "Static"}}},
                          {{"shot_attributes_ordered", {"Close-up", "Wide Angle"}}}}}}},
                      {"content_analysis",
                       {{"entities", {{"locations", {{{"name", "Garage"}, {"type", "Indoor"}}}}}},
                        {"activity_summary", {{{"activity", "Technical demonstration of brakes"}}}}}}};
    const std::string text = vectors::summaryText(facts);
    EXPECT_EQ(text,
              "Tutorial content. A man repairs a bike. Activities include repairing, talking. Filmed in Garage "
              "(indoor). Features wide angle cinematography, stationary camera work, close-up footage. Serves as "
              "educational technical demonstration, instructional content");
    EXPECT_EQ(vectors::summaryText(facts), text);
}

TEST(VectorsText, WithoutAnalysisTheTitleTagsAndTranscriptDescribeTheClip) {
    vectors::ClipFacts facts;
    facts.clip = {{"file_name", "beach_day-01.MP4"}, {"content_tags", {"sea", "sun"}}};
    facts.transcript = "Waves roll in.";
    EXPECT_EQ(vectors::summaryText(facts), "beach day 01. Tagged sea, sun. Waves roll in");
}

TEST(VectorsText, KeywordTextKeepsTheOriginalOrderAndSortsConcepts) {
    vectors::ClipFacts facts;
    facts.clip = {{"file_name", "a.mp4"},
                  {"camera_make", "Sony"},
                  {"camera_model", "A7S"},
                  {"codec", "h264"},
                  {"container", "mp4"},
                  {"width", 1920},
                  {"height", 1080},
                  {"frame_rate", 25.0},
                  {"audio_tracks", {{{"language", "eng"}, {"codec", "aac"}}}},
                  {"subtitle_tracks", {{{"language", "fra"}}}}};
    facts.transcript = "hello there";
    facts.analysis = {
        {"content_analysis", {{"entities", {{"objects_of_interest", {{{"object", "Tripod"}}, {{"object", "Bike"}}}}}}}},
        {"visual_analysis", {{"shot_types", {{{"shot_attributes_ordered", {"Pan"}}}}}}}};
    EXPECT_EQ(vectors::keywordText(facts),
              "hello there Sony A7S h264 mp4 1920x1080 25 fps audio language eng audio codec aac subtitle language "
              "fra bike pan tripod Shot Attributes: Pan");
}

TEST(VectorsText, TruncatesOnSentenceBoundariesElseOnUtf8Boundaries) {
    const auto none = vectors::truncateText("Short. Text.", 100);
    EXPECT_FALSE(none.truncated);
    EXPECT_EQ(none.method, "none");
    const auto sentences = vectors::truncateText("One two. Three four. Five six seven.", 24);
    EXPECT_TRUE(sentences.truncated);
    EXPECT_EQ(sentences.text, "One two. Three four....");
    EXPECT_EQ(sentences.method, "sentence_boundary");
    EXPECT_LE(sentences.text.size(), 24U);
    const auto chars = vectors::truncateText("ééééé", 8);  // 10 bytes; 5 bytes left for text → 2 whole é
    EXPECT_EQ(chars.text, "éé...");
    EXPECT_EQ(chars.method, "char_boundary");
    EXPECT_EQ(vectors::wordCount("  a bb\tccc\n"), 3U);
    EXPECT_EQ(vectors::titleFromFileName("My_Clip-2.final.mov"), "My Clip 2 final");
}

TEST(VectorsCodec, RoundTripsFloat32LittleEndianBase64) {
    const std::vector<float> v{1.0F, -0.5F, 0.25F};
    const std::string text = vectors::encodeVector(v);
    EXPECT_EQ(text, "AACAPwAAAL8AAIA+");
    EXPECT_EQ(vectors::decodeVector(text, 3), v);
    EXPECT_THROW(vectors::decodeVector(text, 4), std::invalid_argument);
    EXPECT_THROW(vectors::decodeVector("@@@@", 0), std::invalid_argument);
    std::vector<float> n{3.0F, 4.0F};
    ASSERT_TRUE(vectors::normalise(n));
    EXPECT_FLOAT_EQ(n[0], 0.6F);
    std::vector<float> zero{0.0F, 0.0F};
    EXPECT_FALSE(vectors::normalise(zero));
    const auto mean = vectors::meanNormalised({{1.0F, 0.0F}, {0.0F, 1.0F}});
    EXPECT_NEAR(mean[0], std::sqrt(0.5F), 1e-6);
}

}  // namespace
