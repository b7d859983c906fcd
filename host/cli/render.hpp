// Printing command results: JSON for scripts, aligned plain-text tables for people. No CLI11 here.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace clipdex::cli {

/// The document a command's output is made of. Streamed records are merged in: into an object result as
/// "records", or as the whole document when the result is null.
json outputDocument(const json& result, const std::vector<json>& records);

/// What --format json prints: output_hints["json"] is a JSON pointer selecting part of the document (e.g.
/// list-steps prints only its steps array, like the original tool). The whole document if it does not resolve.
json selectForJson(const json& document, const json& output_hints);

/// Renders for people. output_hints["table"] = {"rows": "/ptr", "columns": [{"key", "title", "values"}],
/// "title", "group_by"} drives a table; without hints the shape decides: an array of objects is a table with
/// the first row's keys as columns, an object a key/value list, a string is printed raw, null prints nothing.
void printHuman(std::ostream& out, const json& document, const json& output_hints, bool bold_headers = false);

/// Terminal columns a UTF-8 string takes: code points, with common wide ones (CJK, emoji) counting 2 and
/// combining marks 0. Good enough to keep columns aligned without a wcwidth table.
std::size_t displayWidth(std::string_view text);

}  // namespace clipdex::cli
