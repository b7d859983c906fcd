#include "http/route_table.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace clipdex::http {
namespace {

std::string describe(const Route& route) {
    const CommandDecl& decl = route.command->decl();
    const std::string owner = decl.plugin_id.empty() ? std::string("the host") : decl.plugin_id;
    return "command '" + decl.id + "' of " + owner + " (" + route.method + " " + route.path_template + ")";
}

bool sameShape(const Route& a, const Route& b) {
    if (a.method != b.method || a.segments.size() != b.segments.size()) return false;
    for (size_t i = 0; i < a.segments.size(); ++i) {
        const RouteSegment& x = a.segments[i];
        const RouteSegment& y = b.segments[i];
        if (x.is_param != y.is_param || (!x.is_param && x.text != y.text)) return false;
    }
    return true;
}

bool matches(const Route& route, const std::vector<std::string>& segments) {
    if (route.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
        const RouteSegment& expected = route.segments[i];
        if (expected.is_param ? segments[i].empty() : expected.text != segments[i]) return false;
    }
    return true;
}

/// True when `a` is more specific than `b`: at the first segment where they differ in kind, `a` has the
/// literal. So "/api/clips/recent" wins over "/api/clips/{id}" regardless of declaration order.
bool moreSpecific(const Route& a, const Route& b) {
    for (size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i)
        if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
    return false;
}

}  // namespace

std::vector<RouteSegment> parseTemplate(const std::string& path_template) {
    if (path_template.empty() || path_template.front() != '/')
        throw std::invalid_argument("route path '" + path_template + "' must start with '/'");
    std::vector<RouteSegment> segments;
    size_t start = 1;
    while (start <= path_template.size()) {
        const size_t slash = std::min(path_template.find('/', start), path_template.size());
        std::string text = path_template.substr(start, slash - start);
        start = slash + 1;
        if (text.empty()) continue;  // tolerate "//" and a trailing '/' the same way requests are split
        const bool is_param = text.size() > 2 && text.front() == '{' && text.back() == '}';
        if (is_param) text = text.substr(1, text.size() - 2);
        if (text.find_first_of("{}") != std::string::npos)
            throw std::invalid_argument("route path '" + path_template +
                                        "': a {parameter} must be a whole path segment");
        segments.push_back(RouteSegment{std::move(text), is_param});
    }
    return segments;
}

void RouteTable::add(Command& command) {
    const CommandDecl& decl = command.decl();
    std::vector<std::string> paths = {decl.http_path};
    paths.insert(paths.end(), decl.http_aliases.begin(), decl.http_aliases.end());
    for (const std::string& path : paths) {
        Route route;
        route.method = decl.http_method;
        route.path_template = path;
        route.command = &command;
        try {
            route.segments = parseTemplate(path);
        } catch (const std::invalid_argument& error) {
            throw std::invalid_argument(describe(route) + ": " + error.what());
        }
        // The registry checks clashes too; checking again here keeps the router correct on its own.
        for (const Route& existing : routes_)
            if (sameShape(existing, route))
                throw std::invalid_argument(describe(route) + " clashes with " + describe(existing));
        routes_.push_back(std::move(route));
    }
}

RouteMatch RouteTable::match(std::string_view method, const std::vector<std::string>& segments) const {
    RouteMatch result;
    std::set<std::string> allowed;
    for (const Route& route : routes_) {
        if (!matches(route, segments)) continue;
        allowed.insert(route.method);
        if (route.method == method && (result.route == nullptr || moreSpecific(route, *result.route)))
            result.route = &route;
    }
    result.allowed_methods.assign(allowed.begin(), allowed.end());
    if (result.route != nullptr) {
        result.kind = RouteMatch::Kind::Found;
        for (size_t i = 0; i < segments.size(); ++i)
            if (result.route->segments[i].is_param) result.path_params[result.route->segments[i].text] = segments[i];
    } else {
        result.kind = allowed.empty() ? RouteMatch::Kind::NotFound : RouteMatch::Kind::MethodNotAllowed;
    }
    return result;
}

}  // namespace clipdex::http
