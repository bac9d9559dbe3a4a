#pragma once
// Where a sweep's results live while it runs, and the one results file they become.
//
// Durability: each finished run is written at once to its own small HDF5 file in the folder
// `OUT.h5.partial/` (p<point>-r<rep>.h5, written under a temporary name and renamed, so a run
// file is whole or absent, even after SIGKILL). The folder also holds `fingerprint`, the hash of
// the resolved sweep. Meanwhile the results file is assembled in the same folder
// (`results.h5.tmp-<pid>`): each run copied in with H5Ocopy as soon as it and the runs before it
// are on disk. When every run is there, the header and summary table are written, the file is
// renamed to OUT.h5 and the folder removed. `--resume` keeps the run files whose fingerprint
// matches (and discards the unfinished results file) and runs only the others.
//
// The same assembly serves a single process, an MPI job, one Slurm shard and `commsim merge`, so
// all of them write identical datasets.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/experiment/sweep_plan.hpp"
#include "sim/output/run_result.hpp"

namespace commsim::experiment {

struct Shard {
  std::int64_t index = 0;  // 0-based
  std::int64_t count = 1;
  bool owns(std::int64_t run) const { return run % count == index; }
};
// "i/N" with 0 <= i < N; throws std::invalid_argument otherwise.
Shard parse_shard(const std::string& text);

// Everything in a sweep file except the runs and the summary table.
struct SweepHeader {
  output::Provenance provenance;
  std::string sweep_text;
  std::string design_yaml;
  std::string design;  // list, grid, lhs, saltelli
  std::vector<std::string> parameters;
  std::int64_t replications = 1;
  std::string seeds;
  std::string base_scenario;
  std::int64_t saltelli_n = 0;  // 0: not a Saltelli design
  std::string fingerprint;
  std::int64_t points = 0;
  output::Table point_table;                               // /sweep/points
  std::map<std::string, std::vector<std::string>> levels;  // key path -> level names
};

SweepHeader make_header(const SweepPlan& plan, const output::Provenance& provenance);

// A finished run somewhere on disk: file and the group holding its timeseries/ and summary/.
struct RunSource {
  std::int64_t point = 0;
  std::int64_t replication = 0;
  std::uint64_t seed = 0;
  std::filesystem::path file;
  std::string group;
  // Already read back whole (h5::verify) since it was written or found; otherwise the assembler
  // verifies it before copying it in, so nothing unverified reaches a results file.
  bool verified = false;
};

// Builds the results file while a sweep runs: each run is copied in as soon as it and every run
// before it in (point, replication) order are on disk, so at the end only the header and the
// summary table are left to write. The file grows under `temporary` (default
// `<out>.tmp-<pid>`) and becomes `out` at finish(); destroyed unfinished, it removes the
// temporary. Whatever the order runs arrive in, the file is the same.
class SweepAssembler {
 public:
  // `runs`: the (point, replication) of every run the file will hold.
  SweepAssembler(const std::filesystem::path& out,
                 std::vector<std::pair<std::int64_t, std::int64_t>> runs,
                 const std::filesystem::path& temporary = {});
  ~SweepAssembler();
  SweepAssembler(const SweepAssembler&) = delete;
  SweepAssembler& operator=(const SweepAssembler&) = delete;
  // The run is durable on disk; copies it and the runs after it that were waiting for it.
  void add(RunSource run);
  // Every run added: writes /provenance, /sweep and its tables, and publishes the file. `shard`
  // is recorded as an attribute of /sweep when the file holds one slice.
  void finish(const SweepHeader& header, const std::optional<Shard>& shard);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// All at once: the results file from the header and runs already on disk.
void assemble_sweep_file(const std::filesystem::path& out, const SweepHeader& header,
                         std::vector<RunSource> runs, const std::optional<Shard>& shard);

// A results file of a sweep (a shard's or a whole sweep's), read for `commsim merge`: its header
// and the runs it holds, after reading back every dataset and attribute of it. Throws SweepError
// naming the file (and the damaged object) when it is missing, not HDF5, cut short, damaged or
// not a sweep's file.
struct SweepFileContents {
  SweepHeader header;
  std::vector<RunSource> runs;  // verified
};
SweepFileContents read_sweep_file(const std::filesystem::path& file);

// Whether `out` is the finished results file of this sweep (fingerprint, and the shard it holds
// when `shard` is one of several), read back whole. A requeued Slurm task's --resume then has
// nothing to do. A file of another sweep, or one without commsim's seal, is not finished (it is
// overwritten at the end); a damaged file (its seal does not match), or a file of this sweep that
// does not read back, is an error.
bool finished_sweep_file(const std::filesystem::path& out, const std::string& fingerprint,
                         const std::optional<Shard>& shard);

// `commsim merge`: shards of one sweep (same fingerprint, together holding every run exactly
// once) into one file identical to an unsharded run's. Every shard is read back whole before
// anything is written; OUT may not be one of them.
void merge_sweep_files(const std::filesystem::path& out,
                       const std::vector<std::filesystem::path>& shards);

class PartialStore {
 public:
  // Creates `out.partial/`, or with resume reopens it (refusing a different fingerprint). Without
  // resume an existing folder is an error, so finished runs are never discarded by accident.
  PartialStore(const std::filesystem::path& out, const std::string& fingerprint, bool resume);

  const std::filesystem::path& folder() const { return folder_; }
  // Run files a resume found unreadable and removed (their runs run again).
  const std::vector<std::string>& discarded() const { return discarded_; }
  bool has(std::int64_t point, std::int64_t replication) const;
  // Durable when it returns.
  void write(std::int64_t point, std::int64_t replication, std::uint64_t seed,
             const output::RunResult& result) const;
  RunSource source(std::int64_t point, std::int64_t replication, std::uint64_t seed) const;
  // Removes the folder: the run files first, the fingerprint last, so a removal cut short (a kill
  // while publishing) leaves a folder that --resume still recognises (and finishes removing).
  void remove() const;

 private:
  std::filesystem::path run_file(std::int64_t point, std::int64_t replication) const;
  bool readable_run(const std::filesystem::path& file) const;
  std::filesystem::path folder_;
  std::string fingerprint_;
  std::vector<std::string> discarded_;
  std::set<std::filesystem::path> verified_;  // kept run files a resume read back whole
};

std::string point_group_name(std::int64_t point);                          // p00003
std::string replication_group_name(std::int64_t replication);              // r001
std::string run_group_name(std::int64_t point, std::int64_t replication);  // p00003/r001

}  // namespace commsim::experiment
