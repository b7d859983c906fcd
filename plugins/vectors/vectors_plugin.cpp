// Skeleton; replaced by the real plugin.
#include <clipdex/plugin.hpp>

namespace {
class SkeletonPlugin final : public clipdex::Plugin {
public:
    using clipdex::Plugin::Plugin;
};
}  // namespace

CLIPDEX_PLUGIN(SkeletonPlugin)
