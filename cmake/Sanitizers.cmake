# Instrumented builds, each in its own build directory (never the Release build/):
#   MPCHECK_SANITIZE=ON  the whole project and its tests under ASan+UBSan (scripts/sanitize.sh)
#   MPCHECK_FUZZ=ON      clang + libFuzzer harnesses in tests/fuzz/ (scripts/fuzz.sh)
option(MPCHECK_SANITIZE "Build everything with -fsanitize=address,undefined" OFF)
option(MPCHECK_FUZZ "Build the libFuzzer harnesses (needs clang and libclang-rt)" OFF)

if(MPCHECK_SANITIZE OR MPCHECK_FUZZ)
  # -O1 keeps the instrumented build fast to compile and stack traces readable.
  add_compile_options(-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(MPCHECK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MPCHECK_FUZZ needs clang (scripts/fuzz.sh sets CXX=clang++-16)")
  endif()
  # Coverage for the fuzzer in every library; the libFuzzer main is linked into harnesses only.
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
    # libstdc++ 12 offers std::expected only when __cpp_concepts >= 202002L; clang before 19
    # implements what <expected> needs (P0848 since 16) but still reports 201907L.
    add_compile_options(-Wno-macro-redefined -D__cpp_concepts=202002L)
  endif()
  add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/../tests/fuzz ${CMAKE_BINARY_DIR}/tests/fuzz)
endif()
