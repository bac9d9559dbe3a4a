#include "sim/output/preflight.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/scenario/region.hpp"

namespace commsim::output {

namespace {

std::string mebibytes(std::uintmax_t bytes) {
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  char text[64];
  std::snprintf(text, sizeof text, mib < 10 ? "%.1f MiB" : "%.0f MiB", mib);
  return text;
}

// Attributes (labels, descriptions, the provenance with the scenario text) and HDF5's own
// structures: a few hundred KiB in a baseline run file.
constexpr std::uintmax_t kMetadataBytes = 512 * 1024;

}  // namespace

std::uintmax_t free_bytes(const std::filesystem::path& folder) {
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) != 0) return 0;
  return static_cast<std::uintmax_t>(fs.f_bavail) * fs.f_frsize;
}

void check_output_path(const std::filesystem::path& file, std::uintmax_t bytes_needed) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw OutputPathError("cannot write " + file.string() +
                          ": it is a folder; give a file name, e.g. " +
                          (file / "results.h5").string());
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::exists(folder, ec))
    throw OutputPathError("cannot write " + file.string() + ": the folder " + folder.string() +
                          " does not exist");
  if (!std::filesystem::is_directory(folder, ec))
    throw OutputPathError("cannot write " + file.string() + ": " + folder.string() +
                          " is not a folder");
  // Creating a file is the only reliable test: access(2) says yes to root on a read-only bind
  // mount's folder, no to an ACL that allows it.
  const std::string probe = file.string() + ".tmp-" + std::to_string(::getpid()) + "-check";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    if (error != EEXIST)
      throw OutputPathError("cannot write " + file.string() + ": cannot create files in " +
                            folder.string() + ": " + std::strerror(error));
  } else {
    ::close(fd);
    ::unlink(probe.c_str());
  }
  const std::uintmax_t available = free_bytes(folder);
  if (available < bytes_needed)
    throw OutputPathError("cannot write " + file.string() + ": it needs up to " +
                          mebibytes(bytes_needed) + " and " + folder.string() + " has " +
                          mebibytes(available) + " free; free some space or write elsewhere");
}

std::uintmax_t estimated_run_file_bytes(const scenario::Scenario& s) {
  if (s.region) {
    // A region: the totals (no larger than one community's, except series by grid with
    // region.detail: full), each community's summaries (about 200 objects) and, with full detail,
    // its own file's worth.
    std::uintmax_t bytes = kMetadataBytes;
    const bool full = s.region->detail == scenario::Region::Detail::Full;
    for (const auto& c : s.region->communities) {
      const std::uintmax_t own = estimated_run_file_bytes(*c.scenario);
      bytes += 200 * 1024 + (full ? 2 * own : 0);
    }
    return bytes + estimated_run_file_bytes(*s.region->communities.front().scenario);
  }
  const auto grids = static_cast<std::uintmax_t>(scenario::grid_count(s.community));
  const auto groups = static_cast<std::uintmax_t>(s.community.groups.size());
  const auto types = static_cast<std::uintmax_t>(s.needs.types.size());
  // needs by grid x group x type; about thirty series by group; about eighty scalar series
  // (docs/output.md lists them). A per-grid series of each kind is counted with the first.
  const std::uintmax_t cells_per_day = grids * groups * types + 30 * groups + 80;
  const auto days = static_cast<std::uintmax_t>(std::max<std::int64_t>(s.run.days, 0));
  return days * cells_per_day * sizeof(double) + kMetadataBytes;
}

namespace {

// A region's parts are many small datasets and groups, where the headers weigh more than the
// values: 0.45 to 0.65 KiB an object in files of 20,000 communities of one summary each (26.6 MB)
// and of 400 with series, summaries and events (2.07 MB, tests/output/test_hdf5.cpp), so 1 KiB an
// object bounds them.
constexpr std::uintmax_t kHeaderBytes = 1024;

std::uintmax_t value_bytes(const std::vector<Metric>& timeseries,
                           const std::vector<Metric>& summaries, const std::vector<Table>& tables) {
  std::uintmax_t bytes = 0;
  for (const auto* metrics : {&timeseries, &summaries})
    for (const auto& m : *metrics) bytes += m.values.size() * sizeof(double);
  for (const auto& t : tables)
    bytes += t.columns.size() * (t.columns.empty() ? 0 : t.columns.front().rows()) * 8;
  return bytes;
}

}  // namespace

std::uintmax_t estimated_run_file_bytes(const RunResult& run) {
  std::uintmax_t bytes = kMetadataBytes + value_bytes(run.timeseries, run.summaries, run.tables) +
                         value_bytes({}, {}, run.region_tables);
  for (const auto& p : run.parts) {
    // The part's group and its summary/, timeseries/ and events/ groups, and each dataset.
    const std::uintmax_t objects = 4 + p.timeseries.size() + p.summaries.size() + p.tables.size();
    bytes += value_bytes(p.timeseries, p.summaries, p.tables) + objects * kHeaderBytes;
  }
  return bytes;
}

}  // namespace commsim::output
