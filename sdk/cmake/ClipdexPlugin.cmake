# clipdex_add_plugin(<target> MANIFEST <plugin.json> SOURCES <src>... [LINK_LIBRARIES <lib>...]
#                    [OUTPUT_DIRECTORY <dir>] [INSTALL_DESTINATION <dir>])
#
# Builds a clipdex plugin the only supported way: a MODULE library with hidden visibility whose single
# exported symbol is clipdex_plugin_entry_v1, with the manifest embedded in the binary and copied
# beside it as <target>.json. First-party plugins use exactly this function, like third parties do.
include_guard(GLOBAL)
set(_CLIPDEX_SDK_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "Where clipdex_add_plugin() finds its templates")

function(clipdex_add_plugin target)
    cmake_parse_arguments(ARG "" "MANIFEST;OUTPUT_DIRECTORY;INSTALL_DESTINATION" "SOURCES;LINK_LIBRARIES" ${ARGN})
    if(NOT ARG_MANIFEST OR NOT ARG_SOURCES)
        message(FATAL_ERROR "clipdex_add_plugin(${target}): MANIFEST and SOURCES are required")
    endif()
    get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE)
    file(READ "${manifest}" manifest_text)
    string(JSON plugin_id ERROR_VARIABLE json_error GET "${manifest_text}" id)
    if(json_error)
        message(FATAL_ERROR "clipdex_add_plugin(${target}): ${manifest} must be a JSON object with an \"id\": ${json_error}")
    endif()
    string(FIND "${manifest_text}" ")cdxmanifest\"" delimiter_clash)
    if(NOT delimiter_clash EQUAL -1)
        message(FATAL_ERROR "clipdex_add_plugin(${target}): the manifest may not contain ')cdxmanifest\"'")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${manifest}")

    set(CLIPDEX_MANIFEST_TEXT "${manifest_text}")
    set(CLIPDEX_BUILD_INFO "clipdex-sdk ${ClipdexSDK_VERSION}; ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
    set(generated "${CMAKE_CURRENT_BINARY_DIR}/${target}_manifest.cpp")
    configure_file("${_CLIPDEX_SDK_CMAKE_DIR}/plugin_manifest.cpp.in" "${generated}" @ONLY)

    add_library(${target} MODULE ${ARG_SOURCES} "${generated}")
    target_link_libraries(${target} PRIVATE ClipdexSDK::sdk ${ARG_LINK_LIBRARIES})
    target_compile_features(${target} PRIVATE cxx_std_20)
    set_target_properties(${target} PROPERTIES
        PREFIX ""
        CXX_VISIBILITY_PRESET hidden
        C_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        LINK_DEPENDS "${_CLIPDEX_SDK_CMAKE_DIR}/plugin.map")
    target_link_options(${target} PRIVATE
        "LINKER:--version-script=${_CLIPDEX_SDK_CMAKE_DIR}/plugin.map"
        "LINKER:-z,defs"
        "LINKER:--exclude-libs,ALL")

    if(ARG_OUTPUT_DIRECTORY)
        set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
    elseif(DEFINED CLIPDEX_PLUGIN_OUTPUT_DIRECTORY)
        set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${CLIPDEX_PLUGIN_OUTPUT_DIRECTORY}")
    endif()
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy_if_different "${manifest}" "$<TARGET_FILE_DIR:${target}>/${target}.json"
        VERBATIM)

    set(destination "${ARG_INSTALL_DESTINATION}")
    if(NOT destination)
        set(destination "lib/clipdex/plugins")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${destination}" COMPONENT plugins)
    install(FILES "${manifest}" RENAME "${target}.json" DESTINATION "${destination}" COMPONENT plugins)
endfunction()
