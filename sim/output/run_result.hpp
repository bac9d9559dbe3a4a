#pragma once
// What one simulation run produces, in memory, before it is written to HDF5.
// The layout of the file mirrors these types; see docs/output.md.

#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace commsim::output {

// One axis of a breakdown: its name (e.g. "group") and the label of each index ("Han", "Hui", ...).
struct Dimension {
  std::string name;
  std::vector<std::string> labels;
};

// A metric: a daily time series (the first axis is the day) or an end-of-run summary.
// Values are row-major over [day?][dims...]; counts are stored as exact float64.
struct Metric {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<Dimension> dims;  // the breakdown axes, excluding the day axis
  std::vector<double> values;
  // How the values are read, from the metric's declaration (attributes; see docs/output.md).
  std::string
      combine;  // across grids and groups: "sum", "ratio" (numerators / denominators), "none"
  // A time series: its end-of-run rule (the attribute `summary`); a summary: how it was made (the
  // attribute `rule`). "total", "final", "mean", "none" or a custom reduction's name.
  std::string rule;
  std::string source;  // a summary: the time series it was reduced from ("" if none)
  // A summary: the one population-level value to read (the total of a count, the population mean
  // of a ratio from its numerators and denominators) and which of the two it is: "total",
  // "mean", "value" (a single value that combines no cells) or "none" (no such value: NaN).
  double headline = std::numeric_limits<double>::quiet_NaN();
  std::string headline_kind;
  // A summary with headline_kind "mean": the weight of its headline (the sum of the cells'
  // denominators, or the observations of a one-cell ratio), so summaries of several communities
  // combine into their population mean; NaN where unknown.
  double headline_weight = std::numeric_limits<double>::quiet_NaN();
  // In memory only (neither written nor sent): a Ratio summary's weight of each cell (its
  // denominator: the observations behind the cell), so the summaries of a region's communities
  // pool cell by cell into the population's; empty where unknown.
  std::vector<double> weights;
  bool key = false;  // a key metric: shown in `commsim run`'s default summary

  std::size_t cells() const {  // values per day (time series) or in all (summary)
    std::size_t n = 1;
    for (const auto& d : dims) n *= d.labels.size();
    return n;
  }
};

// A per-event table (e.g. one row per work order), written as a 1-D compound dataset.
struct Column {
  std::string name;
  std::string unit;
  std::string description;
  // uint64 for seeds (/sweep/summary), which use all 64 bits and would not survive int64.
  std::variant<std::vector<std::int64_t>, std::vector<double>, std::vector<std::uint64_t>> data;
  // For a coded column (e.g. a channel index), the name of each code 0, 1, ...; -1 means none.
  // Written as the attribute labels_<name>, like a metric's labels_<dim>.
  std::vector<std::string> labels;
  std::size_t rows() const {
    return std::visit([](const auto& v) { return v.size(); }, data);
  }
};

struct Table {
  std::string name;
  std::string description;
  std::vector<Column> columns;
};

// One community or subdistrict of a region run: the same metric declarations as a community's
// run, its own values. A subdistrict's are its communities' combined (Metric::combine); a
// community's time series are kept only with region.detail: full.
struct RunPart {
  std::string level;  // "community" or "subdistrict"
  std::string name;
  std::string subdistrict;         // a community's subdistrict ("" for a subdistrict)
  std::vector<Metric> timeseries;  // as RunResult's
  std::vector<Metric> summaries;
  std::vector<Table> tables;
};

struct RunResult {
  std::int64_t days = 0;
  std::int64_t start_weekday = 0;  // 0 = Monday
  std::vector<Metric> timeseries;  // values.size() == days * cells()
  std::vector<Metric> summaries;   // values.size() == cells()
  std::vector<Table> tables;
  // A region run (scenario key `region`): the totals above combine every community; `parts`
  // holds each community, then each subdistrict, in the region's order; `region_tables` the
  // tables of the region as a whole (one row per community, one per subdistrict), written to
  // /region. Both empty for a community run.
  std::vector<RunPart> parts;
  std::vector<Table> region_tables;
};

// Facts about how a run was made; attributes of /provenance.
struct Provenance {
  std::string scenario_text;
  std::string scenario_resolved;
  std::vector<std::string> overrides;
  // community.register: the path read, the fnv1a64 digest of its bytes (16 hex digits) and the
  // bytes themselves, so a run's households can be rebuilt from its file alone ("" without one).
  std::string register_file;
  std::string register_digest;
  std::string register_text;
  // region.communities_file: the path read, its digest and bytes ("" without one). A community's
  // own register (a row's community.register) is in the region's resolved YAML by name only.
  std::string region_file;
  std::string region_digest;
  std::string region_text;
  std::uint64_t seed = 0;
  std::int64_t run = 0;
  std::int64_t burn_in_days = 0;  // run.burn_in_days: simulated before day 0, not recorded
  std::string commsim_version;
  std::string git_commit;
  std::string compiler;
  std::string build_type;  // CMake's: Release, Debug, ...
  std::string libraries;
  std::string start_time;
  double wall_seconds = 0.0;
  std::int64_t threads = 1;
};

}  // namespace commsim::output
