#include "sim/experiment/sweep_store.hpp"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "sim/experiment/sweep_error.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/preflight.hpp"
#include "sim/output/provenance.hpp"

namespace commsim::experiment {

namespace h5 = output::h5;

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  const auto parse = [](std::string_view v, std::int64_t& out) {
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && end == v.data() + v.size();
  };
  if (slash == std::string::npos || !parse(std::string_view(text).substr(0, slash), s.index) ||
      !parse(std::string_view(text).substr(slash + 1), s.count) || s.count < 1 || s.index < 0 ||
      s.index >= s.count)
    throw std::invalid_argument("--shard expects i/N with 0 <= i < N (e.g. 0/4), got '" + text +
                                "'");
  return s;
}

std::string point_group_name(std::int64_t point) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "p%05lld", static_cast<long long>(point));
  return buf;
}

std::string replication_group_name(std::int64_t replication) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "r%03lld", static_cast<long long>(replication));
  return buf;
}

std::string run_group_name(std::int64_t point, std::int64_t replication) {
  return point_group_name(point) + "/" + replication_group_name(replication);
}

SweepHeader make_header(const SweepPlan& plan, const output::Provenance& provenance) {
  SweepHeader h;
  h.provenance = provenance;
  h.sweep_text = plan.text;
  h.design_yaml = plan.design_yaml();
  h.design = design_name(plan.design);
  for (const auto& p : plan.parameters) h.parameters.push_back(p.key);
  h.replications = plan.replications;
  h.seeds = seeds_name(plan.seeds);
  h.base_scenario = plan.base_name;
  h.saltelli_n = plan.design == Design::Saltelli ? plan.samples : 0;
  h.fingerprint = plan.fingerprint;
  h.points = static_cast<std::int64_t>(plan.points.size());
  auto& t = h.point_table;
  t.name = "points";
  t.description = "The design: one row per point, one column per varied scenario key.";
  std::vector<std::int64_t> index;
  for (std::size_t i = 0; i < plan.points.size(); ++i)
    index.push_back(static_cast<std::int64_t>(i));
  t.columns.push_back({"point", "", "Index of the design point.", index});
  for (std::size_t j = 0; j < plan.parameters.size(); ++j) {
    const auto& p = plan.parameters[j];
    std::vector<double> v;
    for (const auto& pt : plan.points) v.push_back(pt.columns[j]);
    t.columns.push_back({p.key, p.numeric ? "" : "level index",
                         p.numeric ? "Value of the scenario key." : "Index into levels_" + p.key,
                         v});
    if (!p.numeric) h.levels[p.key] = p.levels;
  }
  if (plan.design == Design::Saltelli) {
    std::vector<std::int64_t> block, row;
    for (const auto& pt : plan.points) {
      block.push_back(pt.saltelli_block);
      row.push_back(pt.saltelli_row);
    }
    t.columns.push_back({"saltelli_block", "",
                         "0 = matrix A, 1 = B, 2 + i = AB_i (A with column i from B).", block});
    t.columns.push_back({"saltelli_row", "", "Row of the base sample, 0..N-1.", row});
  }
  return h;
}

namespace {

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  H5Aiterate2(
      object, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

void write_header(hid_t file, const SweepHeader& h, const std::optional<Shard>& shard) {
  output::write_provenance(file, h.provenance);
  {
    const auto prov = h5::open_group(file, "provenance");
    h5::write_attribute(prov, "sweep_text", h.sweep_text);
    h5::write_attribute(prov, "design", h.design_yaml);
  }
  const auto sweep = h5::ensure_group(file, "sweep");
  h5::write_attribute(sweep, "design", h.design);
  h5::write_attribute(sweep, "parameters", h.parameters);
  h5::write_attribute(sweep, "replications", h.replications);
  h5::write_attribute(sweep, "seeds", h.seeds);
  h5::write_attribute(sweep, "base_scenario", h.base_scenario);
  if (h.saltelli_n > 0) h5::write_attribute(sweep, "saltelli_n", h.saltelli_n);
  h5::write_attribute(sweep, "fingerprint", h.fingerprint);
  h5::write_attribute(sweep, "points", h.points);
  if (shard)
    h5::write_attribute(sweep, "shard",
                        std::to_string(shard->index) + "/" + std::to_string(shard->count));
  output::write_table(sweep, h.point_table);
  const auto points = h5::open_dataset(sweep, "points");
  for (const auto& [key, names] : h.levels) h5::write_attribute(points, "levels_" + key, names);
}

SweepHeader read_header(hid_t file) {
  SweepHeader h;
  h.provenance = output::read_provenance(file);
  {
    const auto prov = h5::open_group(file, "provenance");
    h.sweep_text = h5::read_attribute<std::string>(prov, "sweep_text");
    h.design_yaml = h5::read_attribute<std::string>(prov, "design");
  }
  const auto sweep = h5::open_group(file, "sweep");
  h.design = h5::read_attribute<std::string>(sweep, "design");
  h.parameters = h5::read_attribute<std::vector<std::string>>(sweep, "parameters");
  h.replications = h5::read_attribute<std::int64_t>(sweep, "replications");
  h.seeds = h5::read_attribute<std::string>(sweep, "seeds");
  h.base_scenario = h5::read_attribute<std::string>(sweep, "base_scenario");
  if (h5::has_attribute(sweep, "saltelli_n"))
    h.saltelli_n = h5::read_attribute<std::int64_t>(sweep, "saltelli_n");
  h.fingerprint = h5::read_attribute<std::string>(sweep, "fingerprint");
  h.points = h5::read_attribute<std::int64_t>(sweep, "points");
  h.point_table = output::read_table(sweep, "points");
  const auto points = h5::open_dataset(sweep, "points");
  for (const auto& name : attribute_names(points))
    if (name.rfind("levels_", 0) == 0)
      h.levels[name.substr(7)] = h5::read_attribute<std::vector<std::string>>(points, name);
  return h;
}

// The summary table's field names for a metric: the name alone, or one per cell,
// `<metric>/<label>[/<label>...]`, row-major like the dataset.
std::vector<std::string> field_names(const output::Metric& m) {
  std::vector<std::string> names{m.name};
  for (const auto& d : m.dims) {
    std::vector<std::string> next;
    for (const auto& prefix : names)
      for (const auto& label : d.labels) next.push_back(prefix + "/" + label);
    names = std::move(next);
  }
  return names;
}

// A compound datatype is one HDF5 object-header message (at most 64 KiB), so the summary table
// cannot hold unboundedly many fields. Scalars and one-axis breakdowns always go in; metrics
// with two or more axes (e.g. needs by grid x group x type) go in while the table stays under
// this budget, and are otherwise listed in the attribute `omitted` (their values stay in /runs).
constexpr std::size_t kFieldBudgetBytes = 48 * 1024;
std::size_t field_cost(const std::string& name) {
  return name.size() + 40;
}

// The source files of an assembly, a few kept open. A single-process sweep has one file per run
// and HDF5 holds about 2 MB and a descriptor per open file, so keeping them all open made a
// 10,000-run assembly need 20 GB (and more descriptors than a usual `ulimit -n`); merged shards
// hold many runs each, interleaved, and are worth keeping open while they last.
class OpenFiles {
 public:
  hid_t open(const std::filesystem::path& path) {
    ++clock_;
    for (auto& f : files_)
      if (f.path == path) {
        f.used = clock_;
        return f.file;
      }
    if (files_.size() == kMaxOpen) {
      const auto oldest = std::min_element(files_.begin(), files_.end(),
                                           [](auto& a, auto& b) { return a.used < b.used; });
      files_.erase(oldest);
    }
    // The seal is read once per file: with more shards than kMaxOpen, every run's copy reopens
    // a shard, and reading a large shard whole each time would cost runs x shard size.
    const bool checked = !sealed_.insert(path).second;
    files_.push_back(
        {path,
         h5::File::open(path, false, checked ? h5::File::Seal::checked : h5::File::Seal::required),
         clock_});
    return files_.back().file;
  }

 private:
  static constexpr std::size_t kMaxOpen = 16;
  std::set<std::filesystem::path> sealed_;
  struct Entry {
    std::filesystem::path path;
    h5::File file;
    std::uint64_t used = 0;
  };
  std::vector<Entry> files_;
  std::uint64_t clock_ = 0;
};

}  // namespace

// Room kept free beyond a run's own bytes when copying it in: HDF5's metadata of the copy, the
// summary table and the header written at the end.
constexpr std::uintmax_t kCopyMarginBytes = 256 * 1024;

struct SweepAssembler::State {
  output::AtomicFile file;
  h5::Group runs_group;
  std::vector<std::pair<std::int64_t, std::int64_t>> order;  // (point, replication), sorted
  std::vector<std::optional<RunSource>> waiting;             // by position in order
  std::size_t next = 0;                                      // runs copied so far
  std::vector<std::uint64_t> seeds;                          // of the runs copied, in order
  OpenFiles sources;
  // Summary fields in order of first appearance (a metric's label set may differ between points,
  // e.g. the grids when households_per_grid varies); per run: (field index, value).
  std::vector<std::string> metric_order;
  std::map<std::string, std::vector<std::size_t>> metric_fields;
  std::map<std::string, std::size_t> metric_axes;
  std::vector<std::string> field_name;
  std::vector<std::string> field_unit;
  std::unordered_map<std::string, std::size_t> field_index;
  std::vector<std::vector<std::pair<std::size_t, double>>> values;

  State(const std::filesystem::path& out, const std::filesystem::path& temporary)
      : file(out, temporary) {}

  void copy(const RunSource& r) {
    const hid_t src = sources.open(r.file);
    const auto source = h5::open_group(src, r.group);
    // H5Ocopy copies chunks as stored, without decoding them: a damaged one would be published.
    if (!r.verified) h5::verify(source);
    // HDF5 1.10's H5Ocopy crashes (SIGSEGV in H5T_close_real) when the disk fills during the copy,
    // so a copy that cannot fit is not started.
    const std::uintmax_t needed = h5::stored_bytes(source) + kCopyMarginBytes;
    const auto folder = file.temporary().parent_path();
    if (const auto available = output::free_bytes(folder.empty() ? "." : folder);
        available < needed)
      throw output::StorageError("cannot write " + file.temporary().string() +
                                 ": no space left on device (copying run " + r.group + " of " +
                                 r.file.string() + " needs about " + std::to_string(needed / 1024) +
                                 " KiB, " + std::to_string(available / 1024) + " KiB are free)");
    const auto point_group = h5::ensure_group(runs_group, point_group_name(r.point));
    const std::string rep = replication_group_name(r.replication);
    h5::check(H5Ocopy(src, r.group.c_str(), point_group, rep.c_str(), H5P_DEFAULT, H5P_DEFAULT),
              "copy run " + r.group + " of " + r.file.string() + " into", point_group, rep);
    // The run group is copied whole, so a region run keeps its communities, subdistricts and
    // region tables under /runs/<point>/<rep>/ (write_run's layout); the summary table takes the
    // run's own /summary alone: for a region its totals, one row per run as for a community.
    auto& row = values.emplace_back();
    const auto summary = h5::open_group(src, r.group + "/summary");
    for (const auto& name : h5::children(summary)) {
      const output::Metric m = output::read_summary(summary, name);
      if (metric_axes.emplace(m.name, m.dims.size()).second) metric_order.push_back(m.name);
      const auto names = field_names(m);
      for (std::size_t c = 0; c < names.size(); ++c) {
        auto [f, added] = field_index.emplace(names[c], field_name.size());
        if (added) {
          field_name.push_back(names[c]);
          field_unit.push_back(m.unit);
          metric_fields[m.name].push_back(f->second);
        }
        row.emplace_back(f->second, m.values[c]);
      }
    }
    seeds.push_back(r.seed);
  }

  void write_summary_table() {
    std::set<std::string> included;
    std::size_t cost = 0;
    for (const auto& m : metric_order)
      if (metric_axes[m] <= 1) {
        included.insert(m);
        for (const auto f : metric_fields[m]) cost += field_cost(field_name[f]);
      }
    std::vector<std::string> omitted;
    for (const auto& m : metric_order) {
      if (included.count(m)) continue;
      std::size_t extra = 0;
      for (const auto f : metric_fields[m]) extra += field_cost(field_name[f]);
      if (cost + extra <= kFieldBudgetBytes) {
        included.insert(m);
        cost += extra;
      } else {
        omitted.push_back(m);
      }
    }
    output::Table t;
    t.name = "summary";
    t.description = "One row per run, sorted by (point, replication): its scalar summaries.";
    std::vector<std::int64_t> point, replication;
    for (const auto& [p, r] : order) {
      point.push_back(p);
      replication.push_back(r);
    }
    t.columns.push_back({"point", "", "Index of the design point.", point});
    t.columns.push_back({"replication", "", "Replication of the point.", replication});
    t.columns.push_back({"seed", "", "The run's seed, hashed from the sweep seed.", seeds});
    std::vector<std::vector<double>> columns(
        field_name.size(),
        std::vector<double>(order.size(), std::numeric_limits<double>::quiet_NaN()));
    for (std::size_t i = 0; i < order.size(); ++i)
      for (const auto& [f, v] : values[i]) columns[f][i] = v;
    for (const auto& m : metric_order) {
      if (!included.count(m)) continue;
      for (const auto f : metric_fields[m])
        t.columns.push_back({field_name[f], field_unit[f], "", std::move(columns[f])});
    }
    const auto sweep = h5::open_group(file.id(), "sweep");
    output::write_table(sweep, t);
    if (!omitted.empty()) {
      const auto ds = h5::open_dataset(sweep, "summary");
      h5::write_attribute(ds, "omitted", omitted);
    }
  }
};

SweepAssembler::SweepAssembler(const std::filesystem::path& out,
                               std::vector<std::pair<std::int64_t, std::int64_t>> runs,
                               const std::filesystem::path& temporary)
    : state_(std::make_unique<State>(out, temporary)) {
  std::sort(runs.begin(), runs.end());
  if (std::adjacent_find(runs.begin(), runs.end()) != runs.end())
    throw std::logic_error("SweepAssembler: a run is listed twice");
  state_->order = std::move(runs);
  state_->waiting.resize(state_->order.size());
  // The root's members in the order of the layout (docs/output.md); they are filled at finish().
  h5::ensure_group(state_->file.id(), "provenance");
  h5::ensure_group(state_->file.id(), "sweep");
  state_->runs_group = h5::ensure_group(state_->file.id(), "runs");
}

SweepAssembler::~SweepAssembler() = default;

void SweepAssembler::add(RunSource run) {
  auto& s = *state_;
  const auto key = std::make_pair(run.point, run.replication);
  const auto it = std::lower_bound(s.order.begin(), s.order.end(), key);
  if (it == s.order.end() || *it != key)
    throw std::logic_error("SweepAssembler: run " + run_group_name(run.point, run.replication) +
                           " is not one of this file's runs");
  const auto at = static_cast<std::size_t>(it - s.order.begin());
  if (at < s.next || s.waiting[at])
    throw std::logic_error("SweepAssembler: run " + run_group_name(run.point, run.replication) +
                           " added twice");
  s.waiting[at] = std::move(run);
  try {
    while (s.next < s.order.size() && s.waiting[s.next]) {
      s.copy(*s.waiting[s.next]);
      s.waiting[s.next].reset();
      ++s.next;
    }
  } catch (const output::StorageError& e) {
    output::rethrow_naming(s.file.final_path(), e);  // "cannot copy run ...": the disk is full
  }
}

void SweepAssembler::finish(const SweepHeader& header, const std::optional<Shard>& shard) {
  auto& s = *state_;
  if (s.next != s.order.size())
    throw std::logic_error("SweepAssembler: " + std::to_string(s.order.size() - s.next) +
                           " runs were never added");
  s.runs_group.reset();
  try {
    write_header(s.file.id(), header, shard);
    s.write_summary_table();
  } catch (const output::StorageError& e) {
    output::rethrow_naming(s.file.final_path(), e);
  }
  s.sources = OpenFiles();
  s.file.commit();
}

void assemble_sweep_file(const std::filesystem::path& out, const SweepHeader& header,
                         std::vector<RunSource> runs, const std::optional<Shard>& shard) {
  std::vector<std::pair<std::int64_t, std::int64_t>> order;
  for (const auto& r : runs) order.emplace_back(r.point, r.replication);
  SweepAssembler assembler(out, std::move(order));
  for (auto& r : runs) assembler.add(std::move(r));
  assembler.finish(header, shard);
}

namespace {

SweepFileContents read_verified_sweep_file(const std::filesystem::path& path) {
  SweepFileContents contents;
  const auto file = h5::open_sealed(path);
  if (!h5::exists(file, "sweep"))
    throw SweepError(path.string() + " is not a sweep file (it has no /sweep group)");
  // Before anything is read from it: a damaged chunk or header names itself here.
  h5::verify(file);
  contents.header = read_header(file);
  const auto runs_group = h5::open_group(file, "runs");
  for (const auto& p : h5::children(runs_group)) {
    const auto pg = h5::open_group(runs_group, p);
    for (const auto& r : h5::children(pg)) {
      const auto rg = h5::open_group(pg, r);
      RunSource src;
      src.point = h5::read_attribute<std::int64_t>(rg, "point");
      src.replication = h5::read_attribute<std::int64_t>(rg, "replication");
      src.seed = h5::read_attribute<std::uint64_t>(rg, "seed");
      src.file = path;
      src.group = "runs/" + p + "/" + r;
      src.verified = true;
      contents.runs.push_back(std::move(src));
    }
  }
  return contents;
}

}  // namespace

SweepFileContents read_sweep_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw SweepError("no such shard file: " + path.string());
  if (!std::filesystem::is_regular_file(path, ec))
    throw SweepError(path.string() + " is not a file");
  try {
    return read_verified_sweep_file(path);
  } catch (const output::StorageError&) {
    throw;
  } catch (const output::Hdf5Error& e) {
    throw SweepError(path.string() +
                     " is not a whole sweep file (not HDF5, cut short or damaged): " + e.what());
  }
}

bool finished_sweep_file(const std::filesystem::path& out, const std::string& fingerprint,
                         const std::optional<Shard>& shard) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(out, ec)) return false;
  // A file without commsim's seal is not a finished sweep of this build (written over at the
  // end); one whose seal does not match changed after commsim wrote it, and whose it was cannot
  // be read without parsing damaged bytes.
  const auto seal = output::check_seal(out);
  if (seal.state == output::SealState::unsealed) return false;
  if (seal.state == output::SealState::damaged)
    throw SweepError(out.string() + " is damaged (" + seal.reason +
                     "); remove it and run the sweep again");
  {
    std::string found, slice;
    try {
      const auto file = h5::File::open(out, false, h5::File::Seal::checked);
      if (!h5::exists(file, "sweep")) return false;
      const auto sweep = h5::open_group(file, "sweep");
      found = h5::read_attribute<std::string>(sweep, "fingerprint");
      if (h5::has_attribute(sweep, "shard"))
        slice = h5::read_attribute<std::string>(sweep, "shard");
    } catch (const output::Hdf5Error&) {
      return false;  // not a sweep's file at all: written over at the end, as before
    }
    const std::string wanted =
        shard ? std::to_string(shard->index) + "/" + std::to_string(shard->count) : "";
    if (found != fingerprint || slice != wanted) return false;
  }
  try {
    const auto file = h5::File::open(out, false, h5::File::Seal::checked);
    h5::verify(file);
  } catch (const output::Hdf5Error& e) {
    throw SweepError(out.string() + " holds this sweep's results but does not read back (" +
                     e.what() + "); remove it and run the sweep again");
  }
  return true;
}

void merge_sweep_files(const std::filesystem::path& out,
                       const std::vector<std::filesystem::path>& shards) {
  if (shards.empty()) throw SweepError("merge needs at least one shard file");
  std::uintmax_t bytes = 0;
  for (const auto& shard : shards) {
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, shard, ec))
      throw SweepError("cannot merge into " + out.string() + ": it is one of the shards (" +
                       shard.string() + "); give a new file name for the merged results");
    bytes +=
        std::filesystem::is_regular_file(shard, ec) ? std::filesystem::file_size(shard, ec) : 0;
  }
  // A merged file holds what the shards hold: checked before reading any of them.
  output::check_output_path(out, bytes);
  output::remove_stale_temporaries(out);
  SweepHeader header;
  std::vector<RunSource> runs;
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  double wall = 0;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    SweepFileContents contents = read_sweep_file(shards[s]);
    SweepHeader& h = contents.header;
    wall += h.provenance.wall_seconds;
    if (s == 0) {
      header = std::move(h);
    } else if (h.fingerprint != header.fingerprint) {
      throw SweepError(shards[s].string() + " belongs to a different sweep than " +
                       shards[0].string() + " (fingerprint " + h.fingerprint + " vs " +
                       header.fingerprint + ")");
    } else if (const auto a = output::build_identity(h.provenance),
               b = output::build_identity(header.provenance);
               a != b) {
      throw SweepError(shards[s].string() + " was made by another build than " +
                       shards[0].string() + " (" + a + " vs " + b +
                       "); run every shard with one build");
    }
    for (auto& src : contents.runs) {
      if (!seen.insert({src.point, src.replication}).second)
        throw SweepError("run " + src.group + " is in more than one shard (" + shards[s].string() +
                         ")");
      runs.push_back(std::move(src));
    }
  }
  const std::int64_t expected = header.points * header.replications;
  if (static_cast<std::int64_t>(runs.size()) != expected) {
    std::string example;
    for (std::int64_t p = 0; p < header.points && example.empty(); ++p)
      for (std::int64_t r = 0; r < header.replications && example.empty(); ++r)
        if (!seen.count({p, r})) example = run_group_name(p, r);
    throw SweepError("the shards hold " + std::to_string(runs.size()) + " of " +
                     std::to_string(expected) + " runs (missing e.g. " + example +
                     "); give every shard's file");
  }
  header.provenance.wall_seconds = wall;
  assemble_sweep_file(out, header, std::move(runs), std::nullopt);
}

PartialStore::PartialStore(const std::filesystem::path& out, const std::string& fingerprint,
                           bool resume)
    : folder_(out.string() + ".partial"), fingerprint_(fingerprint) {
  const auto parent = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(parent))
    throw SweepError("output folder '" + parent.string() + "' does not exist");
  const auto stamp = folder_ / "fingerprint";
  if (std::filesystem::exists(folder_)) {
    if (!resume)
      throw SweepError(folder_.string() +
                       " holds an unfinished sweep: continue it with --resume, or remove it");
    std::ifstream in(stamp);
    std::string found, build;
    std::getline(in, found);
    std::getline(in, build);
    if (found != fingerprint_)
      throw SweepError("cannot resume: " + folder_.string() +
                       " was started from a different sweep (fingerprint " +
                       (found.empty() ? "missing" : found) + ", this sweep " + fingerprint_ +
                       "); restore the sweep file as it was, or remove the folder to start over");
    if (build != output::build_identity())
      throw SweepError("cannot resume: " + folder_.string() + " was started by " +
                       (build.empty() ? "an unknown build" : build) + ", this is " +
                       output::build_identity() +
                       "; one sweep's runs must come from one build: resume with that build, or "
                       "remove the folder to start over");
    // Temporaries of runs (and of the results file) being written when the sweep was killed,
    // and run files that do not read back whole (a disk that failed, a copy cut short): those
    // runs are simply run again.
    std::vector<std::filesystem::path> entries;
    for (const auto& e : std::filesystem::directory_iterator(folder_)) entries.push_back(e.path());
    for (const auto& path : entries) {
      const std::string name = path.filename().string();
      if (name.find(".tmp-") != std::string::npos) {
        std::filesystem::remove(path);
      } else if (path.extension() == ".h5") {
        if (readable_run(path)) {
          verified_.insert(path);
        } else {
          std::filesystem::remove(path);
          discarded_.push_back(name);
        }
      }
    }
    return;
  }
  std::filesystem::create_directory(folder_);
  const auto tmp = folder_ / "fingerprint.tmp";
  {
    std::ofstream o(tmp);
    o << fingerprint_ << "\n" << output::build_identity() << "\n";
    if (!o) throw SweepError("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, stamp);
}

bool PartialStore::readable_run(const std::filesystem::path& file) const {
  try {
    const auto f = h5::open_sealed(file);
    if (h5::read_attribute<std::string>(f, "fingerprint") != fingerprint_ ||
        !h5::exists(f, "run/summary") || !h5::exists(f, "run/timeseries"))
      return false;
    // Every value, not only the names: a flipped byte in a chunk or a header is found here and
    // the run is run again, instead of being copied raw into the results (or failing the copy at
    // every later --resume).
    h5::verify(f);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::filesystem::path PartialStore::run_file(std::int64_t point, std::int64_t replication) const {
  return folder_ / (point_group_name(point) + "-" + replication_group_name(replication) + ".h5");
}

bool PartialStore::has(std::int64_t point, std::int64_t replication) const {
  return std::filesystem::exists(run_file(point, replication));
}

void PartialStore::write(std::int64_t point, std::int64_t replication, std::uint64_t seed,
                         const output::RunResult& result) const {
  output::write_file_atomically(run_file(point, replication), [&](hid_t file) {
    const auto g = h5::ensure_group(file, "run");
    h5::write_attribute(g, "point", point);
    h5::write_attribute(g, "replication", replication);
    h5::write_attribute(g, "seed", seed);
    h5::write_attribute(file, "fingerprint", fingerprint_);
    output::write_run(g, result);
  });
}

RunSource PartialStore::source(std::int64_t point, std::int64_t replication,
                               std::uint64_t seed) const {
  const auto file = run_file(point, replication);
  return {point, replication, seed, file, "run", verified_.count(file) > 0};
}

void PartialStore::remove() const {
  std::error_code ec;
  const auto stamp = folder_ / "fingerprint";
  std::vector<std::filesystem::path> entries;
  for (auto it = std::filesystem::directory_iterator(folder_, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    if (it->path() != stamp) entries.push_back(it->path());
  for (const auto& e : entries) std::filesystem::remove_all(e, ec);
  std::filesystem::remove(stamp, ec);
  std::filesystem::remove(folder_, ec);
}

}  // namespace commsim::experiment
