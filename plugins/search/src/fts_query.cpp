#include "fts_query.hpp"

#include <cctype>
#include <vector>

namespace search {
namespace {

using clipdex::Error;

struct Term {
    std::string fts;  // a quoted FTS5 string, maybe with a trailing * (prefix)
    bool excluded = false;
    bool or_before = false;  // joined to the previous positive term by OR
};

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\0';
}

/// Something the unicode61 tokenizer keeps: an ASCII letter or digit, or any non-ASCII byte.
bool hasWordCharacter(const std::string& text) {
    for (unsigned char c : text)
        if (c >= 0x80 || std::isalnum(c)) return true;
    return false;
}

std::string ftsString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

FtsQuery buildFtsQuery(const std::string& text, const char* field) {
    if (text.size() > kMaxQueryBytes)
        throw Error(CDX_E_INVALID_ARGUMENT,
                    "search text is too long (" + std::to_string(text.size()) + " bytes; at most " +
                        std::to_string(kMaxQueryBytes) + "): shorten the query",
                    {{"field", field}});
    std::vector<Term> terms;
    bool pending_or = false;
    std::size_t i = 0;
    while (i < text.size()) {
        if (isSpace(text[i])) {
            ++i;
            continue;
        }
        bool excluded = false;
        if (text[i] == '-' && i + 1 < text.size() && !isSpace(text[i + 1])) {
            excluded = true;
            ++i;
        }
        std::string word;
        bool phrase = false;
        if (text[i] == '"') {
            phrase = true;
            const std::size_t close = text.find('"', i + 1);
            const std::size_t end = close == std::string::npos ? text.size() : close;
            word = text.substr(i + 1, end - i - 1);
            i = close == std::string::npos ? text.size() : close + 1;
        } else {
            const std::size_t start = i;
            while (i < text.size() && !isSpace(text[i])) ++i;
            word = text.substr(start, i - start);
        }
        for (char& c : word)
            if (c == '\0') c = ' ';
        if (!phrase && !excluded && word == "OR") {
            pending_or = !terms.empty();
            continue;
        }
        bool prefix = false;
        if (!phrase && word.size() > 1 && word.back() == '*') {
            while (!word.empty() && word.back() == '*') word.pop_back();
            prefix = true;
        }
        if (!hasWordCharacter(word)) continue;  // "*", "(", "'" ...: nothing the tokenizer would index
        Term term;
        term.fts = ftsString(word) + (prefix ? "*" : "");
        term.excluded = excluded;
        term.or_before = pending_or && !excluded;
        pending_or = false;
        terms.push_back(std::move(term));
        if (terms.size() > kMaxQueryTerms)
            throw Error(
                CDX_E_INVALID_ARGUMENT,
                "search text has too many terms (at most " + std::to_string(kMaxQueryTerms) + "): use fewer words",
                {{"field", field}});
    }

    // Positive terms form AND-ed groups of OR-ed alternatives: `a b OR c d` = a AND (b OR c) AND d.
    std::vector<std::vector<std::string>> groups;
    std::vector<std::string> excluded;
    FtsQuery query;
    for (const Term& term : terms) {
        if (term.excluded) {
            excluded.push_back(term.fts);
            continue;
        }
        if (term.or_before && !groups.empty())
            groups.back().push_back(term.fts);
        else
            groups.push_back({term.fts});
        if (!query.match_any.empty()) query.match_any += " OR ";
        query.match_any += term.fts;
        ++query.terms;
    }
    if (groups.empty())
        throw Error(CDX_E_INVALID_ARGUMENT,
                    excluded.empty() ? "search text has no words to search for: give at least one word"
                                     : "search text only excludes words: give at least one word to search for",
                    {{"field", field}});
    std::string positive;
    for (const auto& group : groups) {
        if (!positive.empty()) positive += " AND ";
        std::string alternatives;
        for (const auto& item : group) alternatives += (alternatives.empty() ? "" : " OR ") + item;
        positive += "(" + alternatives + ")";
    }
    query.match = "(" + positive + ")";
    for (const auto& item : excluded) query.match += " NOT " + item;
    return query;
}

}  // namespace search
