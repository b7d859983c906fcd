#include "embedding_text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

namespace vectors {
namespace {

/// The AI analysis proper: the analysis document may wrap it in {"ai_analysis": …}.
const json& aiOf(const json& analysis) {
    static const json kNone = json::object();
    if (!analysis.is_object()) return kNone;
    if (const auto it = analysis.find("ai_analysis"); it != analysis.end() && it->is_object()) return *it;
    return analysis;
}

const json& at(const json& object, std::initializer_list<const char*> path) {
    static const json kNull;
    const json* node = &object;
    for (const char* key : path) {
        if (!node->is_object()) return kNull;
        const auto it = node->find(key);
        if (it == node->end()) return kNull;
        node = &*it;
    }
    return *node;
}

std::string str(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (value.is_number_float()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", value.get<double>());
        return buffer;
    }
    if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
    return {};
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& part : parts) {
        if (part.empty()) continue;
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

/// Keeps the first occurrence of each value, in order.
std::vector<std::string> unique(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& value : values)
        if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
    return out;
}

std::vector<std::string> strings(const json& list, const char* key = nullptr) {
    std::vector<std::string> out;
    if (!list.is_array()) return out;
    for (const json& item : list) {
        const std::string value = key ? str(at(item, {key})) : str(item);
        if (!value.empty()) out.push_back(value);
    }
    return out;
}

std::vector<std::string> shotAttributes(const json& ai) {
    std::vector<std::string> out;
    const json& shots = at(ai, {"visual_analysis", "shot_types"});
    if (!shots.is_array()) return out;
    for (const json& shot : shots)
        for (const auto& attribute : strings(at(shot, {"shot_attributes_ordered"}))) out.push_back(attribute);
    return out;
}

std::string shotStyle(const std::string& attribute) {
    const std::string low = lower(attribute);
    if (low.find("static") != std::string::npos || low.find("locked") != std::string::npos)
        return "stationary camera work";
    if (low.find("wide") != std::string::npos) return "wide angle cinematography";
    if (low.find("close") != std::string::npos) return "close-up footage";
    return attribute + " cinematography";
}

std::vector<std::string> activities(const json& ai) {
    return strings(at(ai, {"content_analysis", "activity_summary"}), "activity");
}

/// The first video stream of the media plugin's technical_metadata, or the document itself.
const json& videoStream(const json& technical) {
    const json& video = at(technical, {"video"});
    if (video.is_array() && !video.empty()) return video.front();
    if (video.is_object()) return video;
    return at(technical, {"codec_details"});
}

}  // namespace

std::string titleFromFileName(const std::string& file_name) {
    std::string stem = file_name;
    if (const auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
    std::string out;
    bool space = false;
    for (const char c : stem) {
        if (c == '_' || c == '-' || c == '.' || std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string summaryText(const ClipFacts& facts) {
    const json& ai = aiOf(facts.analysis);
    const json& clip = facts.clip;
    std::vector<std::string> parts;
    std::string category = str(at(ai, {"summary", "content_category"}));
    if (category.empty()) category = str(at(clip, {"content_category"}));
    if (!category.empty()) parts.push_back(category + " content");
    std::string overall = str(at(ai, {"summary", "overall"}));
    if (overall.empty()) overall = str(at(clip, {"content_summary"}));
    parts.push_back(overall);
    if (const auto keys = strings(at(ai, {"summary", "key_activities"})); !keys.empty())
        parts.push_back("Activities include " + join(keys, ", "));
    std::vector<std::string> places;
    const json& locations = at(ai, {"content_analysis", "entities", "locations"});
    if (locations.is_array())
        for (const json& location : locations) {
            const std::string name = str(at(location, {"name"}));
            const std::string type = lower(str(at(location, {"type"})));
            if (!name.empty()) places.push_back(type.empty() ? name : name + " (" + type + ")");
        }
    if (!places.empty()) parts.push_back("Filmed in " + join(places, ", "));
    std::vector<std::string> styles;
    for (const auto& attribute : shotAttributes(ai)) styles.push_back(shotStyle(attribute));
    if (const auto list = unique(styles); !list.empty()) parts.push_back("Features " + join(list, ", "));
    std::vector<std::string> purposes;
    for (const auto& activity : activities(ai)) {
        const std::string low = lower(activity);
        if (low.find("technical") != std::string::npos || low.find("commentary") != std::string::npos)
            purposes.push_back("educational technical demonstration");
        if (low.find("landscape") != std::string::npos || low.find("scenic") != std::string::npos)
            purposes.push_back("scenic documentation");
        if (low.find("demonstration") != std::string::npos) purposes.push_back("instructional content");
    }
    if (const auto list = unique(purposes); !list.empty()) parts.push_back("Serves as " + join(list, ", "));

    if (overall.empty()) {
        // No AI summary (the local default): describe the clip by what it has.
        std::vector<std::string> own;
        if (const std::string title = titleFromFileName(str(at(clip, {"file_name"}))); !title.empty())
            own.push_back(title);
        if (const auto tags = strings(at(clip, {"content_tags"})); !tags.empty())
            own.push_back("Tagged " + join(tags, ", "));
        if (!facts.transcript.empty()) own.push_back(facts.transcript);
        parts.insert(parts.begin() + (category.empty() ? 0 : 1), own.begin(), own.end());
    }
    std::string text;
    for (std::string part : parts) {
        while (!part.empty() && (part.back() == '.' || std::isspace(static_cast<unsigned char>(part.back()))))
            part.pop_back();
        if (part.empty()) continue;
        if (!text.empty()) text += ". ";
        text += part;
    }
    return text;
}

std::string keywordText(const ClipFacts& facts) {
    const json& clip = facts.clip;
    const json& ai = aiOf(facts.analysis);
    const json& camera = at(clip, {"camera_details"});
    const json& technical = at(clip, {"technical_metadata"});
    const json& video = videoStream(technical);
    std::vector<std::string> parts{facts.transcript};
    auto add = [&parts](const std::string& value, const std::string& prefix = {}, const std::string& suffix = {}) {
        if (!value.empty()) parts.push_back(prefix + value + suffix);
    };
    std::string make = str(at(clip, {"camera_make"}));
    if (make.empty()) make = str(at(camera, {"make"}));
    std::string model = str(at(clip, {"camera_model"}));
    if (model.empty()) model = str(at(camera, {"model"}));
    add(make);
    add(model);
    add(str(at(camera, {"lens_model"})));
    add(str(at(camera, {"focal_length", "value_mm"})), "focal length ", "mm");
    const std::string focal = lower(str(at(camera, {"focal_length", "category"})));
    add(focal);
    add(focal, "", " shot");
    add(str(at(camera, {"settings", "iso"})), "ISO ");
    add(str(at(camera, {"settings", "shutter_speed"})), "shutter speed ");
    add(str(at(camera, {"settings", "f_stop"})), "f/");
    add(str(at(camera, {"settings", "exposure_mode"})), "", " exposure");
    add(str(at(camera, {"settings", "white_balance"})), "", " white balance");
    add(str(at(camera, {"location", "location_name"})));

    std::string codec = str(at(clip, {"codec"}));
    if (codec.empty()) codec = str(at(video, {"codec"}));
    add(codec);
    add(str(at(video, {"profile"})));
    add(str(at(video, {"level"})), "level ");
    add(str(at(video, {"bit_rate_kbps"})), "", " kbps");
    add(str(at(video, {"bit_depth"})), "", "-bit");
    add(str(at(video, {"chroma_subsampling"})), "chroma ");
    add(str(at(video, {"pixel_format"})));
    add(str(at(video, {"field_order"})));
    std::string container = str(at(clip, {"container"}));
    if (container.empty()) container = str(at(technical, {"container", "format_name"}));
    add(container);
    if (at(clip, {"width"}).is_number() && at(clip, {"height"}).is_number())
        add(str(at(clip, {"width"})) + "x" + str(at(clip, {"height"})));
    add(str(at(video, {"display_aspect_ratio"})), "aspect ratio ");
    if (const json& fps = at(clip, {"frame_rate"}); fps.is_number()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g fps", std::round(fps.get<double>() * 1000) / 1000);
        add(buffer);
    }
    for (const char* key : {"color_space", "color_primaries", "color_transfer", "color_range"})
        add(str(at(video, {key})));
    add(str(at(technical, {"hdr", "format"})), "HDR ");
    const json& exposure = at(technical, {"exposure_details"});
    if (at(exposure, {"warning"}) == true) add("exposure warning: True");
    add(str(at(exposure, {"stops"})), "", " stops");
    add(str(at(exposure, {"overexposed_percentage"})), "overexposed ", "%");
    add(str(at(exposure, {"underexposed_percentage"})), "underexposed ", "%");
    if (const json& audio = at(clip, {"audio_tracks"}); audio.is_array())
        for (const json& track : audio) {
            add(str(at(track, {"language"})), "audio language ");
            add(str(at(track, {"codec"})), "audio codec ");
        }
    if (const json& subtitles = at(clip, {"subtitle_tracks"}); subtitles.is_array())
        for (const json& track : subtitles) add(str(at(track, {"language"})), "subtitle language ");

    // Visual concepts: sorted and de-duplicated, so the text never depends on hash order.
    std::set<std::string> concepts;
    const json& locations = at(ai, {"content_analysis", "entities", "locations"});
    if (locations.is_array())
        for (const json& location : locations) {
            concepts.insert(lower(str(at(location, {"name"}))));
            concepts.insert(lower(str(at(location, {"type"}))));
        }
    for (const auto& object : strings(at(ai, {"content_analysis", "entities", "objects_of_interest"}), "object"))
        concepts.insert(lower(object));
    const auto attributes = shotAttributes(ai);
    for (const auto& attribute : attributes) concepts.insert(lower(attribute));
    for (const auto& activity : activities(ai)) {
        std::string word;
        for (const char c : activity + " ") {
            if (std::isalnum(static_cast<unsigned char>(c))) {
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else {
                if (word.size() > 3) concepts.insert(word);
                word.clear();
            }
        }
    }
    concepts.insert(lower(str(at(ai, {"summary", "content_category"}))));
    concepts.erase("");
    add(join(std::vector<std::string>(concepts.begin(), concepts.end()), " "));
    if (!attributes.empty()) add(join(unique(attributes), ", "), "Shot Attributes: ");
    return join(parts, " ");
}

Truncated truncateText(const std::string& text, std::size_t max_chars) {
    if (text.size() <= max_chars) return {text, false, "none"};
    const std::size_t budget = max_chars > 3 ? max_chars - 3 : 0;
    std::size_t end = 0;
    for (std::size_t next = text.find(". "); next != std::string::npos && next + 1 <= budget;
         next = text.find(". ", next + 2))
        end = next + 1;  // keep the full stop
    if (end > 0) return {text.substr(0, end) + "...", true, "sentence_boundary"};
    std::size_t cut = budget;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return {text.substr(0, cut) + "...", true, "char_boundary"};
}

std::size_t wordCount(const std::string& text) {
    std::size_t count = 0;
    bool in_word = false;
    for (const char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c));
        if (!space && !in_word) ++count;
        in_word = !space;
    }
    return count;
}

}  // namespace vectors
