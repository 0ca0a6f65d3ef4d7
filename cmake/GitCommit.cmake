# Writes git_commit.hpp with the commit the sources are built from; run at every build (cmake -P),
# rewriting the header only when the commit changed. Outside a git checkout (a release tarball)
# the commit is "unknown", unless the packager passes -DMPCHECK_GIT_COMMIT=... at configure time.
# Inputs: SOURCE_DIR, OUTPUT, OVERRIDE (may be empty).
set(commit "${OVERRIDE}")
if(NOT commit)
  # Only the sources' own repository counts, not one a tarball happens to be unpacked inside.
  execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --show-toplevel
    OUTPUT_VARIABLE top OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  file(REAL_PATH "${SOURCE_DIR}" source_real)
  if(top)
    file(REAL_PATH "${top}" top)
  endif()
  if(NOT rc EQUAL 0 OR NOT commit OR NOT top STREQUAL source_real)
    set(commit "unknown")
  else()
    execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
      OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(dirty)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "#pragma once\n#define MPCHECK_GIT_COMMIT \"${commit}\"\n")
