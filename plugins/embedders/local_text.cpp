// Feature hashing (Weinberger et al. 2009) of word unigrams, word bigrams and fastText-style character
// 3..5-grams of each word with '<' '>' boundary markers. Each feature is hashed with XXH3-64 (seeded per
// feature family); the low bits pick the dimension, the top bit the sign, so collisions cancel in
// expectation instead of piling up. Term frequency is sublinear (1 + ln tf), the vector is L2-normalised.
// The arithmetic runs over features in sorted hash order, so the output is bit-identical across runs.
#include "local_text.hpp"

#include <xxhash.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include "request.hpp"

namespace embedders {
namespace {

constexpr uint64_t kWordSeed = 0x636c6970'64657801ULL;  // "clipdex" + family
constexpr uint64_t kBigramSeed = 0x636c6970'64657802ULL;
constexpr uint64_t kCharSeed = 0x636c6970'64657803ULL;
constexpr double kWordWeight = 1.0;
constexpr double kBigramWeight = 0.7;
constexpr double kCharWeight = 0.4;  // a word yields many char n-grams; together they still matter
constexpr size_t kMinGram = 3;
constexpr size_t kMaxGram = 5;

// A small English stopword list: function words that carry no topic.
const std::set<std::string, std::less<>>& stopwords() {
    static const std::set<std::string, std::less<>> words{
        "a",    "an",    "and", "are", "as",   "at",   "be",    "been",  "but",  "by",   "for",   "from",  "had",
        "has",  "have",  "he",  "her", "his",  "i",    "in",    "into",  "is",   "it",   "its",   "of",    "on",
        "or",   "our",   "she", "so",  "than", "that", "the",   "their", "them", "then", "there", "these", "they",
        "this", "those", "to",  "was", "we",   "were", "which", "while", "who",  "will", "with",  "you",   "your"};
    return words;
}

// Decodes one UTF-8 sequence at text[pos]; returns its length (1 for an invalid byte, code point = byte).
size_t decode(std::string_view text, size_t pos, char32_t& cp) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || pos + length > text.size()) {
        cp = lead;
        return 1;
    }
    cp = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
    for (size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) {
            cp = lead;
            return 1;
        }
        cp = (cp << 6) | (byte(pos + i) & 0x3F);
    }
    return length;
}

void encode(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Spaces and punctuation outside ASCII: Latin-1 symbols, general punctuation, CJK punctuation,
// full-width ASCII punctuation. Everything else non-ASCII (letters, marks, CJK) is part of a word.
bool isSeparator(char32_t cp) {
    if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    if (cp >= 0x80 && cp <= 0xBF) return cp != 0xAA && cp != 0xB5 && cp != 0xBA;  // keep ª µ º
    if (cp == 0xD7 || cp == 0xF7) return true;                                    // × ÷
    if (cp >= 0x2000 && cp <= 0x206F) return true;                                // general punctuation
    if (cp >= 0x3000 && cp <= 0x303F) return true;                                // CJK punctuation
    if (cp >= 0xFF01 && cp <= 0xFF0F) return true;                                // full-width punctuation
    return cp == 0xFEFF;
}

char32_t fold(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;  // Latin-1 À..Þ
    if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 && cp != 0x17F) {
        const bool even_upper = (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
        if (even_upper) return (cp % 2 == 0) ? cp + 1 : cp;  // Latin Extended-A pairs
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return (cp % 2 == 1) ? cp + 1 : cp;
        if (cp == 0x178) return 0xFF;  // Ÿ
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;  // Greek
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                 // Cyrillic А..Я
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;                 // Cyrillic Ѐ..Џ
    return cp;
}

struct Feature {
    double weight = 0;
    uint32_t count = 0;
};

void add(std::map<uint64_t, Feature>& features, std::string_view text, uint64_t seed, double weight) {
    Feature& feature = features[XXH3_64bits_withSeed(text.data(), text.size(), seed)];
    feature.weight = weight;
    ++feature.count;
}

void addCharGrams(std::map<uint64_t, Feature>& features, const std::string& word) {
    // Code point boundaries of "<word>", so a gram never splits a UTF-8 sequence.
    const std::string marked = "<" + word + ">";
    std::vector<size_t> starts;
    for (size_t pos = 0; pos < marked.size();) {
        starts.push_back(pos);
        char32_t cp = 0;
        pos += decode(marked, pos, cp);
    }
    starts.push_back(marked.size());
    const size_t chars = starts.size() - 1;
    for (size_t n = kMinGram; n <= kMaxGram && n <= chars; ++n)
        for (size_t i = 0; i + n <= chars; ++i)
            add(features, std::string_view(marked).substr(starts[i], starts[i + n] - starts[i]), kCharSeed,
                kCharWeight);
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    for (size_t pos = 0; pos < text.size();) {
        char32_t cp = 0;
        const size_t length = decode(text, pos, cp);
        if (length == 1 && cp >= 0x80) {
            current += text[pos];  // a byte that is not valid UTF-8 stays part of the word, unchanged
        } else if (isSeparator(cp)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            encode(fold(cp), current);
        }
        pos += length;
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

LocalTextEmbedder::LocalTextEmbedder(LocalTextOptions options) : options_(options) {
    if (options_.dimension != 384 && options_.dimension != 1024)
        throw std::invalid_argument("local-text dimension must be 384 or 1024");
    model_ = "clipdex-hash-ngram-v1-" + std::to_string(options_.dimension);
    if (!options_.drop_stopwords) model_ += "-allwords";
}

std::vector<float> LocalTextEmbedder::embed(std::string_view text) const {
    std::vector<std::string> words = tokenize(text);
    if (options_.drop_stopwords) {
        std::vector<std::string> kept;
        for (auto& word : words)
            if (stopwords().count(word) == 0) kept.push_back(std::move(word));
        if (!kept.empty()) words = std::move(kept);  // a text of stopwords only keeps them
    }

    std::map<uint64_t, Feature> features;
    for (size_t i = 0; i < words.size(); ++i) {
        add(features, words[i], kWordSeed, kWordWeight);
        if (i + 1 < words.size()) add(features, words[i] + ' ' + words[i + 1], kBigramSeed, kBigramWeight);
        addCharGrams(features, words[i]);
    }

    std::vector<double> sums(options_.dimension, 0.0);
    for (const auto& [hash, feature] : features) {
        const size_t slot = static_cast<size_t>(hash % options_.dimension);
        const double sign = (hash >> 63) != 0 ? -1.0 : 1.0;
        sums[slot] += sign * feature.weight * (1.0 + std::log(static_cast<double>(feature.count)));
    }
    l2Normalise(sums);
    return std::vector<float>(sums.begin(), sums.end());
}

}  // namespace embedders
