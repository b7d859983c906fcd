// The cheapest possible plugin command: parse a small argument object, return a small result.
#include <clipdex/plugin.hpp>

namespace {

class EmptyPlugin final : public clipdex::Plugin {
public:
    using Plugin::Plugin;
    clipdex::json invoke(std::string_view, const clipdex::json& args, clipdex::Context&) override {
        return clipdex::json{{"ok", true}, {"limit", args.value("limit", 0)}};
    }
};

}  // namespace

CLIPDEX_PLUGIN(EmptyPlugin)
