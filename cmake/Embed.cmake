# mpcheck_embed(OUT_VAR NAME entry...) generates a C++ source at build time that defines
#   std::string_view mpcheck_embedded_<NAME>(std::string_view key)
# returning the bytes of one embedded file, or an empty view for an unknown key.
# An entry is either a path relative to the calling directory (the key is that path) or
# KEY=/absolute/path for files outside the source tree, such as Debian's reference data.
# The files are read when the build runs, so the binary needs nothing at run time.
set(MPCHECK_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFiles.cmake)

function(mpcheck_embed out_var name)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${name}.cpp)
  set(keys "")
  set(paths "")
  foreach(entry IN LISTS ARGN)
    if(entry MATCHES "^([^=]+)=(.+)$")
      list(APPEND keys ${CMAKE_MATCH_1})
      list(APPEND paths ${CMAKE_MATCH_2})
    else()
      list(APPEND keys ${entry})
      list(APPEND paths ${CMAKE_CURRENT_SOURCE_DIR}/${entry})
    endif()
  endforeach()
  foreach(p IN LISTS paths)
    if(NOT EXISTS ${p})
      message(FATAL_ERROR "mpcheck_embed: ${p} not found (run scripts/install-deps.sh)")
    endif()
  endforeach()
  list(JOIN keys "|" key_arg)
  list(JOIN paths "|" path_arg)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DNAME=${name} -DOUT=${out} "-DKEYS=${key_arg}" "-DFILES=${path_arg}"
            -P ${MPCHECK_EMBED_SCRIPT}
    DEPENDS ${paths} ${MPCHECK_EMBED_SCRIPT}
    COMMENT "Embedding ${name} data"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
