#include "cli/render.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

#include "cli/arg_spec.hpp"

namespace clipdex::cli {
namespace {

struct Column {
    std::string key;  // field name, or a JSON pointer into the row when it starts with '/'
    std::string title;
    json values;  // optional map from a cell's text to what to show ("true" -> "Enabled")
};

bool isZeroWidth(char32_t c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE00 && c <= 0xFE0F);
}

bool isWide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD) ||
           c == 0x2705 || c == 0x274C || c == 0x2B50 || c == 0x231A || c == 0x231B || c == 0x23F3;
}

/// One line of cell text: tables cannot hold line breaks. Lists of scalars read as "a,b"; anything nested
/// stays compact JSON so it is still unambiguous.
std::string cellText(const json& value) {
    const bool nested =
        value.is_object() ||
        (value.is_array() && std::any_of(value.begin(), value.end(), [](const json& v) { return v.is_structured(); }));
    std::string text = nested ? dumpJson(value) : displayText(value);
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return text;
}

void pad(std::ostream& out, const std::string& text, std::size_t width) {
    out << text;
    const std::size_t used = displayWidth(text);
    if (used < width) out << std::string(width - used, ' ');
}

std::string header(const std::string& text, bool bold) {
    return bold ? "\033[1m" + text + "\033[0m" : text;
}

json cellValue(const json& row, const std::string& key) {
    if (!row.is_object()) return key.empty() ? row : json();
    if (!key.empty() && key.front() == '/') {
        try {
            const json::json_pointer pointer(key);
            return row.contains(pointer) ? row.at(pointer) : json();
        } catch (const json::exception&) {
            return json();
        }
    }
    return row.contains(key) ? row[key] : json();
}

void printTable(std::ostream& out, const std::string& title, const std::vector<Column>& columns,
                const std::vector<json>& rows, bool bold) {
    if (!title.empty()) out << header(title, bold) << "\n";
    if (rows.empty()) {
        out << "No results.\n";
        return;
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> widths;
    for (const Column& column : columns) widths.push_back(displayWidth(column.title));
    for (const json& row : rows) {
        auto& line = cells.emplace_back();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            std::string text = cellText(cellValue(row, columns[i].key));
            if (columns[i].values.is_object() && columns[i].values.contains(text))
                text = displayText(columns[i].values[text]);
            widths[i] = std::max(widths[i], displayWidth(text));
            line.push_back(std::move(text));
        }
    }
    // The last column is not padded, so lines carry no trailing blanks.
    auto printRow = [&](const std::vector<std::string>& texts, bool is_header) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
            out << (is_header ? header(texts[i], bold) : texts[i]);
            if (i + 1 < texts.size()) out << std::string(widths[i] - displayWidth(texts[i]), ' ') << "  ";
        }
        out << "\n";
    };
    std::vector<std::string> titles, rules;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        titles.push_back(columns[i].title);
        rules.emplace_back(widths[i], '-');
    }
    printRow(titles, true);
    printRow(rules, false);
    for (const auto& line : cells) printRow(line, false);
}

std::vector<Column> columnsFromRows(const std::vector<json>& rows) {
    std::vector<Column> columns;
    if (rows.empty() || !rows.front().is_object()) return {{"", "value", json()}};
    for (const auto& [key, value] : rows.front().items()) columns.push_back({key, key, json()});
    return columns;
}

bool isTable(const json& value) {
    return value.is_array() && !value.empty() &&
           std::all_of(value.begin(), value.end(), [](const json& row) { return row.is_object(); });
}

void printKeyValues(std::ostream& out, const json& object, bool bold) {
    std::size_t width = 0;
    for (const auto& [key, value] : object.items())
        if (!isTable(value)) width = std::max(width, displayWidth(key));
    for (const auto& [key, value] : object.items()) {
        if (isTable(value)) continue;
        pad(out, key, width);
        out << "  " << cellText(value) << "\n";
    }
    // Nested lists of records read better as their own tables than as JSON in a cell.
    for (const auto& [key, value] : object.items()) {
        if (!isTable(value)) continue;
        out << "\n";
        const std::vector<json> rows(value.begin(), value.end());
        printTable(out, key, columnsFromRows(rows), rows, bold);
    }
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

/// Renders with a "table" hint; false when the hint does not fit the document (then the shape decides).
/// "{key}" in a footer becomes the document's top-level value (numbers with at most two decimals).
std::string fillPlaceholders(std::string text, const json& document) {
    if (!document.is_object()) return text;
    for (const auto& [key, value] : document.items()) {
        if (value.is_structured()) continue;
        std::string shown = cellText(value);
        if (value.is_number_float()) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.2f", value.get<double>());
            shown = buffer;
        }
        text = replaceAll(text, "{" + key + "}", shown);
    }
    return text;
}

void printFooter(std::ostream& out, const json& document, const json& hint) {
    if (hint.contains("footer") && hint["footer"].is_string())
        out << "\n" << fillPlaceholders(hint["footer"].get<std::string>(), document) << "\n";
}

bool printHinted(std::ostream& out, const json& document, const json& hint, bool bold) {
    json rows_value = document;
    if (hint.contains("rows") && hint["rows"].is_string()) {
        try {
            const json::json_pointer pointer(hint["rows"].get<std::string>());
            if (!document.contains(pointer)) return false;
            rows_value = document.at(pointer);
        } catch (const json::exception&) {
            return false;
        }
    }
    if (!rows_value.is_array()) return false;
    const std::vector<json> rows(rows_value.begin(), rows_value.end());
    std::vector<Column> columns;
    if (hint.contains("columns") && hint["columns"].is_array()) {
        for (const json& column : hint["columns"]) {
            if (!column.is_object() || !column.contains("key") || !column["key"].is_string()) continue;
            const std::string key = column["key"].get<std::string>();
            columns.push_back({key, column.value("title", key), column.value("values", json())});
        }
    }
    if (columns.empty()) columns = columnsFromRows(rows);
    const std::string title = hint.value("title", "");
    const std::string group_key = hint.value("group_by", "");
    if (group_key.empty()) {
        printTable(out, replaceAll(title, "{count}", std::to_string(rows.size())), columns, rows, bold);
        printFooter(out, document, hint);
        return true;
    }
    // One table per group, groups in order of first appearance (list-steps shows one table per category).
    std::vector<std::pair<std::string, std::vector<json>>> groups;
    for (const json& row : rows) {
        const std::string group = cellText(cellValue(row, group_key));
        auto found = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == group; });
        if (found == groups.end()) found = groups.insert(groups.end(), {group, {}});
        found->second.push_back(row);
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i > 0) out << "\n";
        const auto& [group, group_rows] = groups[i];
        std::string group_title = replaceAll(title, "{group}", group);
        group_title = replaceAll(group_title, "{count}", std::to_string(group_rows.size()));
        printTable(out, group_title, columns, group_rows, bold);
    }
    printFooter(out, document, hint);
    return true;
}

}  // namespace

std::size_t displayWidth(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const std::size_t length = byte < 0x80           ? 1
                                   : (byte >> 5) == 0x6  ? 2
                                   : (byte >> 4) == 0xE  ? 3
                                   : (byte >> 3) == 0x1E ? 4
                                                         : 1;
        char32_t code = length == 1 ? byte : byte & (0x7F >> length);
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
            code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        i += length;
        width += isZeroWidth(code) ? 0 : isWide(code) ? 2 : 1;
    }
    return width;
}

json outputDocument(const json& result, const std::vector<json>& records) {
    if (records.empty()) return result;
    json list(records);
    if (result.is_null()) return list;
    if (result.is_object()) {
        json merged = result;
        merged["records"] = std::move(list);
        return merged;
    }
    return json{{"result", result}, {"records", std::move(list)}};
}

json selectForJson(const json& document, const json& output_hints) {
    if (!output_hints.is_object() || !output_hints.contains("json") || !output_hints["json"].is_string())
        return document;
    try {
        const json::json_pointer pointer(output_hints["json"].get<std::string>());
        if (document.contains(pointer)) return document.at(pointer);
    } catch (const json::exception&) {
    }
    return document;
}

void printHuman(std::ostream& out, const json& document, const json& output_hints, bool bold_headers) {
    if (output_hints.is_object() && output_hints.contains("table") && output_hints["table"].is_object() &&
        printHinted(out, document, output_hints["table"], bold_headers))
        return;
    if (document.is_null()) return;
    if (document.is_string()) {
        const std::string& text = document.get_ref<const std::string&>();
        out << text;
        if (!text.empty() && text.back() != '\n') out << "\n";
    } else if (document.is_object()) {
        printKeyValues(out, document, bold_headers);
    } else if (document.is_array() && (document.empty() || isTable(document))) {
        const std::vector<json> rows(document.begin(), document.end());
        printTable(out, "", columnsFromRows(rows), rows, bold_headers);
    } else if (document.is_array()) {
        for (const json& item : document) out << cellText(item) << "\n";
    } else {
        out << displayText(document) << "\n";
    }
}

}  // namespace clipdex::cli
