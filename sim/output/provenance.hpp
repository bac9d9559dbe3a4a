#pragma once
// How a run was made: the facts that go into /provenance.

#include <string>

#include "sim/output/run_result.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::output {

// Everything but wall_seconds, which the caller fills in when the run ends.
Provenance make_provenance(const scenario::LoadedScenario& scenario, std::uint64_t seed,
                           std::int64_t run, int threads);

std::string compiler_version();
// The build that makes the numbers: version, commit (with -dirty), compiler and build type, as a
// provenance records them, or of the running build. Two builds with the same identity give the
// same results for the same scenario and seed; a sweep is resumed and merged only within one.
std::string build_identity(const Provenance& provenance);
std::string build_identity();
std::string library_versions();
std::string utc_now_iso8601();

}  // namespace commsim::output
