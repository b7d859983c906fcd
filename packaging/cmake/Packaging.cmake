# `cpack -G DEB` in build/ makes a Debian package of the host, the first-party plugins and the SDK.
# Install layout: bin/clipdex, lib/clipdex/plugins/*.so + *.json, include/clipdex/, lib/cmake/ClipdexSDK/,
# share/clipdex/plugin-template/ — the host finds its plugins relative to its own executable.
set(CPACK_PACKAGE_NAME "clipdex")
set(CPACK_PACKAGE_VENDOR "clipdex")
set(CPACK_PACKAGE_CONTACT "clipdex maintainers <maintainers@clipdex.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ffmpeg")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_COMPONENTS_ALL host plugins sdk)
include(CPack)
