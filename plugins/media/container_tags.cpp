// Container-level fields: format, chapters, timecode, creation time, and the camera/GPS tags that
// QuickTime/MP4 (Apple mdta keys and udta ©xyz) carry; locations are ISO 6709 strings.
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "media_common.hpp"

namespace media {
namespace {

// The first non-null tag among `keys`, looked up on the container and then on every stream.
json firstTag(const AVFormatContext* format, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (json value = tag(format->metadata, key); !value.is_null()) return value;
    for (unsigned i = 0; i < format->nb_streams; ++i)
        for (const char* key : keys)
            if (json value = tag(format->streams[i]->metadata, key); !value.is_null()) return value;
    return nullptr;
}

// One ISO 6709 coordinate "+DD.D", "+DDMM.M" or "+DDMMSS.S" (longitude has one more degree digit).
bool coordinate(const std::string& text, size_t& pos, int degree_digits, double& out) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
    const bool negative = text[pos] == '-';
    size_t end = pos + 1;
    size_t int_digits = 0;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end, ++int_digits;
    if (end < text.size() && text[end] == '.') {
        ++end;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    }
    if (int_digits == 0) return false;
    const double raw = std::strtod(text.substr(pos + 1, end - pos - 1).c_str(), nullptr);
    double value = raw;
    if (int_digits == static_cast<size_t>(degree_digits + 2)) {  // DDMM.M
        value = std::floor(raw / 100) + std::fmod(raw, 100) / 60;
    } else if (int_digits == static_cast<size_t>(degree_digits + 4)) {  // DDMMSS.S
        value = std::floor(raw / 10000) + std::floor(std::fmod(raw, 10000) / 100) / 60 + std::fmod(raw, 100) / 3600;
    } else if (int_digits > static_cast<size_t>(degree_digits)) {
        return false;
    }
    out = negative ? -value : value;
    pos = end;
    return true;
}

}  // namespace

json parseIso6709(const std::string& text) {
    size_t pos = 0;
    double latitude = 0;
    double longitude = 0;
    if (!coordinate(text, pos, 2, latitude) || !coordinate(text, pos, 3, longitude)) return nullptr;
    if (std::fabs(latitude) > 90 || std::fabs(longitude) > 180) return nullptr;
    json out{{"latitude", latitude}, {"longitude", longitude}, {"altitude", nullptr}, {"iso6709", text}};
    const size_t before = pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        char* end = nullptr;
        const double altitude = std::strtod(text.c_str() + before, &end);
        if (end != text.c_str() + before) out["altitude"] = altitude;
    }
    return out;
}

json containerFields(AVFormatContext* format) {
    json c = json::object();
    c["format_name"] = optString(format->iformat->name);
    c["format_long_name"] = optString(format->iformat->long_name);
    c["duration_seconds"] = format->duration != AV_NOPTS_VALUE ? json(format->duration / double(AV_TIME_BASE)) : json();
    c["bit_rate"] = format->bit_rate > 0 ? json(format->bit_rate) : json();
    const int64_t size = format->pb != nullptr ? avio_size(format->pb) : -1;
    c["size_bytes"] = size >= 0 ? json(size) : json();
    c["start_time"] = format->start_time != AV_NOPTS_VALUE ? json(format->start_time / double(AV_TIME_BASE)) : json();
    c["nb_streams"] = format->nb_streams;
    c["tags"] = tagsObject(format->metadata);
    return c;
}

json chapterList(const AVFormatContext* format) {
    json chapters = json::array();
    for (unsigned i = 0; i < format->nb_chapters; ++i) {
        const AVChapter* chapter = format->chapters[i];
        chapters.push_back(json{{"start_seconds", seconds(chapter->start, chapter->time_base)},
                                {"end_seconds", seconds(chapter->end, chapter->time_base)},
                                {"title", tag(chapter->metadata, "title")}});
    }
    return chapters;
}

void addContainerTags(const AVFormatContext* format, json& out) {
    out["timecode"] = firstTag(format, {"timecode"});
    out["creation_time"] = firstTag(format, {"creation_time", "com.apple.quicktime.creationdate", "date"});
    out["camera"] = json{{"make", firstTag(format, {"com.apple.quicktime.make", "make"})},
                         {"model", firstTag(format, {"com.apple.quicktime.model", "model"})},
                         {"software", firstTag(format, {"com.apple.quicktime.software", "software"})}};
    out["location"] = nullptr;
    const json iso = firstTag(format, {"com.apple.quicktime.location.ISO6709", "location", "location-eng"});
    if (iso.is_string()) out["location"] = parseIso6709(iso.get<std::string>());
}

std::string containerName(const AVFormatContext* format) {
    const std::string name = format->iformat->name != nullptr ? format->iformat->name : "";
    if (name.rfind("mov,mp4", 0) == 0) {
        const json brand = tag(format->metadata, "major_brand");
        return (brand.is_string() && brand.get<std::string>().rfind("qt", 0) == 0) ? "QuickTime" : "MPEG-4";
    }
    if (name == "matroska,webm") {
        const char* url = format->url != nullptr ? format->url : "";
        const std::string path = url;
        return path.size() >= 5 && path.compare(path.size() - 5, 5, ".webm") == 0 ? "WebM" : "Matroska";
    }
    if (name == "mpegts") return "MPEG-TS";
    if (name == "mpeg") return "MPEG-PS";
    if (name == "avi") return "AVI";
    if (name == "mxf") return "MXF";
    return format->iformat->long_name != nullptr ? format->iformat->long_name : name;
}

}  // namespace media
