// ABI rules: struct-size growth and the version accept/reject rule.
#include <clipdex/clipdex.h>
#include <gtest/gtest.h>

#include "loader/plugin_library.hpp"

namespace {

using clipdex::checkAbi;
using clipdex::LoadError;

cdx_status CDX_CALL noInit(const cdx_host*, void**, const cdx_sink*) {
    return CDX_OK;
}
void CDX_CALL noShutdown(void*) {}
const void* CDX_CALL noInterface(void*, const char*) {
    return nullptr;
}

cdx_plugin_entry entryFor(uint16_t major, uint16_t min_minor) {
    return cdx_plugin_entry{
        sizeof(cdx_plugin_entry), major, min_minor, "{}", "test", &noInit, &noShutdown, &noInterface};
}

TEST(AbiVersion, AcceptsSameMajorAndOlderOrEqualMinor) {
    EXPECT_NO_THROW(checkAbi(entryFor(1, 0), 1, 0));
    EXPECT_NO_THROW(checkAbi(entryFor(1, 0), 1, 3));
    EXPECT_NO_THROW(checkAbi(entryFor(1, 3), 1, 3));
}

TEST(AbiVersion, RejectsOtherMajorNamingBothVersions) {
    try {
        checkAbi(entryFor(2, 0), 1, 4);
        FAIL() << "ABI major 2 was accepted by a major-1 host";
    } catch (const LoadError& error) {
        EXPECT_NE(std::string(error.what()).find("ABI 2.x"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("1.4"), std::string::npos) << error.what();
    }
    EXPECT_THROW(checkAbi(entryFor(0, 0), 1, 0), LoadError);
}

TEST(AbiVersion, RejectsNewerRequiredMinorWithUpgradeHint) {
    try {
        checkAbi(entryFor(1, 5), 1, 4);
        FAIL() << "a plugin needing 1.5 was accepted by a 1.4 host";
    } catch (const LoadError& error) {
        EXPECT_NE(std::string(error.what()).find("upgrade clipdex"), std::string::npos) << error.what();
    }
}

TEST(AbiStructSize, OlderSmallerEntryIsRejectedAndLargerNewerOneAccepted) {
    cdx_plugin_entry entry = entryFor(1, 0);
    entry.struct_size = offsetof(cdx_plugin_entry, shutdown);  // truncated: lacks get_interface
    EXPECT_THROW(checkAbi(entry, 1, 0), LoadError);
    entry.struct_size = sizeof(cdx_plugin_entry) + 64;  // a newer SDK appended fields: still readable
    EXPECT_NO_THROW(checkAbi(entry, 1, 0));
}

// A table that grew in a later minor: old readers ignore the tail, new readers check before use.
struct TableV1 {
    uint32_t struct_size;
    int (*first)(void);
};
struct TableV2 {
    uint32_t struct_size;
    int (*first)(void);
    int (*added_in_minor_1)(void);
};
int one() {
    return 1;
}
int two() {
    return 2;
}

TEST(AbiStructSize, HasFieldGuardsFieldsAppendedLater) {
    const TableV1 old_table{sizeof(TableV1), &one};
    const TableV2 new_table{sizeof(TableV2), &one, &two};
    // A new reader handed an old table must not touch the appended member.
    const auto* as_new = reinterpret_cast<const TableV2*>(&old_table);
    EXPECT_TRUE(CDX_HAS_FIELD(as_new, TableV2, first));
    EXPECT_FALSE(CDX_HAS_FIELD(as_new, TableV2, added_in_minor_1));
    EXPECT_TRUE(CDX_HAS_FIELD(&new_table, TableV2, added_in_minor_1));
    const TableV2* none = nullptr;
    EXPECT_FALSE(CDX_HAS_FIELD(none, TableV2, first));
}

TEST(AbiLayout, StructsStartWithTheirSizeAndKeepTheirOffsets) {
    // Snapshot of the v1 layout on LP64: an accidental reorder or insertion fails here.
    static_assert(offsetof(cdx_plugin_entry, struct_size) == 0);
    static_assert(offsetof(cdx_plugin_entry, manifest_json) == 8);
    static_assert(offsetof(cdx_plugin_entry, init) == 24);
    static_assert(offsetof(cdx_plugin_entry, get_interface) == 40);
    static_assert(offsetof(cdx_call, write_result) == 48);
    static_assert(offsetof(cdx_call, fail) == 64);
    static_assert(offsetof(cdx_host, get_service) == 64);
    static_assert(offsetof(cdx_command_v1, invoke) == 8);
    static_assert(offsetof(cdx_step_v1, destroy) == 24);
    static_assert(offsetof(cdx_catalog_v1, transaction) == 24);
    static_assert(offsetof(cdx_embedder_v1, embed) == 8);   // since 1.1
    static_assert(offsetof(cdx_dispatch_v1, search) == 8);  // since 1.1
    static_assert(offsetof(cdx_dispatch_v1, embed) == 16);
    static_assert(sizeof(cdx_status) == 4 && sizeof(cdx_log_level) == 4);
    SUCCEED();
}

}  // namespace
