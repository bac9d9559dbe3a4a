# Writes generated/commsim/build_info.hpp from sim/core/build_info.hpp.in. Run at configure time
# and, through the target commsim_build_info, at every build, so the commit recorded in provenance
# is the one built, not the one last configured. configure_file rewrites the header only when its
# contents change, so an unchanged commit recompiles nothing.
# In: SOURCE_DIR, OUTPUT, PROJECT_VERSION, YAML_CPP_VERSION, CMAKE_BUILD_TYPE.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE COMMSIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE COMMSIM_GIT_DIRTY OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT COMMSIM_GIT_COMMIT)
  set(COMMSIM_GIT_COMMIT "unknown")
elseif(COMMSIM_GIT_DIRTY)
  set(COMMSIM_GIT_COMMIT "${COMMSIM_GIT_COMMIT}-dirty")
endif()
execute_process(COMMAND dpkg-query -W -f=\${Version} librandom123-dev
                OUTPUT_VARIABLE RANDOM123_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT RANDOM123_VERSION)
  set(RANDOM123_VERSION "unknown")
endif()
set(yaml-cpp_VERSION "${YAML_CPP_VERSION}")
configure_file(${SOURCE_DIR}/sim/core/build_info.hpp.in ${OUTPUT} @ONLY)
