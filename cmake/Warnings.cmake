# Warnings are errors-in-waiting: the tree builds clean with -Wall -Wextra.
add_compile_options(-Wall -Wextra)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

if(CLIPDEX_SANITIZE)
    # vptr is off because SOCI 4.0.3 is built with hidden typeinfo (docs/adr/0006); hnswlib's manual
    # vectorisation prefetches one element past its buffers, so it is disabled under ASan.
    set(sanitize_flags -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer)
    add_compile_options(${sanitize_flags})
    add_link_options(${sanitize_flags})
    add_compile_definitions(NO_MANUAL_VECTORIZATION)
endif()
