// local-text: hashed word and character n-gram vectors. No network, no model; see
// docs/search/embedding-providers.md for what this captures and what it cannot.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace embedders {

struct LocalTextOptions {
    size_t dimension = 384;      // 384 or 1024 (config local_text.dimension)
    bool drop_stopwords = true;  // config local_text.stopwords
};

/// Lower-cased words of `text`: ASCII letters and digits plus every non-ASCII code point that is not
/// punctuation or a space. ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals are case-folded.
std::vector<std::string> tokenize(std::string_view text);

class LocalTextEmbedder {
public:
    explicit LocalTextEmbedder(LocalTextOptions options);
    /// "clipdex-hash-ngram-v1-<dimension>" (+ "-allwords" when stopwords are kept).
    const std::string& model() const noexcept { return model_; }
    size_t dimension() const noexcept { return options_.dimension; }
    /// A unit vector (all zeros when the text has no words).
    std::vector<float> embed(std::string_view text) const;

private:
    LocalTextOptions options_;
    std::string model_;
};

}  // namespace embedders
