#include "sim/output/provenance.hpp"

#include <hdf5.h>
#include <oneapi/tbb/version.h>

#include <boost/version.hpp>
#include <chrono>
#include <ctime>

#include "commsim/build_info.hpp"
#include "sim/core/random.hpp"
#include "sim/scenario/region.hpp"

namespace commsim::output {

std::string compiler_version() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("g++ ") + __VERSION__;
#else
  return "unknown";
#endif
}

namespace {
// The facts about this build that provenance records.
void record_build(Provenance& p) {
  p.commsim_version = build_info::version;
  p.git_commit = build_info::git_commit;
  p.compiler = compiler_version();
  p.build_type = build_info::build_type;
}
}  // namespace

std::string build_identity(const Provenance& p) {
  return "commsim " + p.commsim_version + " " + p.git_commit + " (" + p.compiler + ", " +
         p.build_type + ")";
}

std::string build_identity() {
  Provenance p;
  record_build(p);
  return build_identity(p);
}

std::string library_versions() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  std::string boost = BOOST_LIB_VERSION;
  for (char& c : boost)
    if (c == '_') c = '.';
  return "HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(release) + "; oneTBB " + TBB_runtime_version() + "; yaml-cpp " +
         build_info::yaml_cpp_version + "; Boost " + boost + "; Random123 " +
         build_info::random123_version;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Provenance make_provenance(const scenario::LoadedScenario& scenario, std::uint64_t seed,
                           std::int64_t run, int threads) {
  Provenance p;
  p.scenario_text = scenario.text;
  p.scenario_resolved = scenario.resolved_yaml;
  p.overrides = scenario.overrides;
  if (const auto& reg = scenario.scenario.community.household_register) {
    p.register_file = reg->file;
    p.register_digest = hex64(reg->digest);
    p.register_text = reg->text;
  }
  if (const auto& region = scenario.scenario.region; region && !region->communities_file.empty()) {
    p.region_file = region->communities_file;
    p.region_digest = hex64(region->communities_digest);
    p.region_text = region->communities_text;
  }
  p.seed = seed;
  p.run = run;
  p.burn_in_days = scenario.scenario.run.burn_in_days;
  record_build(p);
  p.libraries = library_versions();
  p.start_time = utc_now_iso8601();
  p.threads = threads;
  return p;
}

}  // namespace commsim::output
