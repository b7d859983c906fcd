// Maps "METHOD /path" to the command that declared it. Pure logic (no Poco) so it is unit-testable.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.hpp"

namespace clipdex::http {

/// One path segment of a route template: a literal ("clips") or a parameter ("{id}" → name "id").
struct RouteSegment {
    std::string text;
    bool is_param = false;
};

struct Route {
    std::string method;
    std::string path_template;  // as declared, e.g. "/api/clips/{id}"
    std::vector<RouteSegment> segments;
    Command* command = nullptr;
};

struct RouteMatch {
    enum class Kind { Found, MethodNotAllowed, NotFound };
    Kind kind = Kind::NotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string> path_params;  // already percent-decoded
    std::vector<std::string> allowed_methods;        // every method routed on this path, sorted
};

/// Splits a declared template into segments. Throws std::invalid_argument when a '{' does not span a
/// whole segment: routing by segment keeps matching unambiguous and maps 1:1 onto OpenAPI templates.
std::vector<RouteSegment> parseTemplate(const std::string& path_template);

class RouteTable {
public:
    /// Adds the command's route. Throws std::invalid_argument naming both commands when another route has
    /// the same method and shape ("/a/{x}" and "/a/{y}" are the same shape).
    void add(Command& command);

    /// `segments` are the request path's decoded segments (see splitPath in request_args.hpp).
    RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;

    const std::vector<Route>& routes() const noexcept { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace clipdex::http
