#pragma once
// Helpers shared by the tests: temporary folders, running the commsim command, reading HDF5.

#include <gtest/gtest.h>

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/output/run_result.hpp"

namespace commsim::test {

// A fresh folder under the system temp dir, removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;         // stdout
  std::string err;         // stderr
  bool timed_out = false;  // killed after the time allowed (run_commsim_within)
};

// Runs the built commsim binary with the arguments (from the source folder, so scenarios/...
// paths work).
CommandResult run_commsim(const std::vector<std::string>& args);
// Like run_commsim, but the process is killed if it has not ended after `seconds` (0: no limit).
CommandResult run_commsim_within(const std::vector<std::string>& args, double seconds);
// Starts commsim in the background (in the source folder, like run_commsim) with stdout and
// stderr going to the given files; the caller waits for (or kills) the process.
pid_t start_commsim(const std::vector<std::string>& args, const std::filesystem::path& out_file,
                    const std::filesystem::path& err_file);

std::filesystem::path source_dir();
std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);

// Flips `count` bytes of a file at `offset` (damage as a failing disk does it).
void flip_bytes(const std::filesystem::path& file, std::uint64_t offset, std::size_t count);

// In file bytes (HDF5 addresses count from the end of the user block that holds commsim's seal):
// the middle of a chunked dataset's first chunk, and where an object's header starts.
std::uint64_t chunk_offset(const std::filesystem::path& file, const std::string& dataset);
std::uint64_t header_offset(const std::filesystem::path& file, const std::string& object);

// A small tmpfs of `kib` KiB mounted at `at` for the test's lifetime, read-only if asked. Only
// root can mount (CI runs as root): check mounted() and skip with the reason otherwise.
class SmallDisk {
 public:
  SmallDisk(const std::filesystem::path& at, int kib, bool read_only = false);
  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
};

// Reads a run file written by `commsim run`.
struct RunFile {
  output::RunResult result;
  output::Provenance provenance;
};
RunFile read_run_file(const std::filesystem::path& p);

// The needs the arrival draws made: needs that arose plus needs a council fix prevented, by row
// and need type (row-major). A council fix lowers its need's rate where it is implemented, and
// which topics councils take up follows the open orders, so a policy may move which needs arise;
// the draws themselves, and so this sum, only a change of the draws moves. `arisen` is
// needs_arisen (grid x group x need type per row), `prevented` needs_prevented_by_fixes (need
// type per row); a row is a day of the time series, or the one row of the summaries.
std::vector<double> drawn_needs(const output::Metric& arisen, const output::Metric& prevented);
// The same from a run: by day and need type (`daily`), or by need type over the run.
std::vector<double> drawn_needs(const RunFile& f, bool daily);

// The tests' MPI runs. mpirun is there (CI installs Open MPI: there a missing mpirun is a
// failure, not a skip).
bool mpirun_available();
// "<environment> timeout <seconds> mpirun --oversubscribe -x ... -n <ranks> ", for a shell
// command (killed after `seconds`): as root,
// oversubscribed, and with LeakSanitizer on in every rank of the ASan build. Open MPI and PMIx
// keep their components loaded to the end (mca_base_component_disable_dlclose) and stacks are
// unwound in full, so the blocks Open MPI leaks at MPI_Finalize are attributed to its own
// libraries and suppressed by tests/lsan_mpi.supp; a leak of commsim's in any rank fails the run.
std::string mpirun_prefix(int ranks, int seconds);
// mpirun with `ranks` ranks of the built commsim and `args`, in the same environment, for a
// forked child: everything is built before the fork, so the child only redirects its output and
// execs (a test process may have threads, and allocating after fork could deadlock).
//   const MpirunExec command(3, {"sweep", ...}, dir / "log");
//   const pid_t pid = fork();
//   if (pid == 0) command.exec();
class MpirunExec {
 public:
  MpirunExec(int ranks, const std::vector<std::string>& args,
             const std::filesystem::path& stderr_file);
  // In the child: stderr to the file, stdout to /dev/null, then exec; _exit(127) if that fails.
  [[noreturn]] void exec() const;

 private:
  std::vector<std::string> words_, environment_;
  std::vector<char*> argv_, envp_;
  std::string stderr_file_;
};

// The processes whose parent is `parent` (from /proc/<pid>/stat): e.g. the ranks of mpirun.
std::vector<pid_t> children_of(pid_t parent);

// The metric of that name among `metrics` (a run's time series or summaries); throws if absent.
const output::Metric& find_metric(const std::vector<output::Metric>& metrics,
                                  const std::string& name);

// True when two runs hold bitwise-identical time series, summaries and tables (NaN equal to
// NaN), their totals' and each part's (communities, subdistricts), and the same region tables.
::testing::AssertionResult same_datasets(const output::RunResult& a, const output::RunResult& b);

// A small region run with every shape a part takes: totals; two communities of one subdistrict,
// the second with time series and an event table and a name with '/', '.' and Han characters;
// the subdistrict; the region tables /region/communities and /region/subdistricts. Summaries
// carry their declarations' attributes and a headline_weight (NaN on a count).
output::RunResult region_run();
// Every field of two runs alike, as a write and read (or an encode and decode) must keep them:
// success, or the first difference, named. Doubles compare bitwise (-0 is not 0), NaN equal to
// NaN. Metric::weights is not compared: it is kept in memory only.
::testing::AssertionResult same_run(const output::RunResult& a, const output::RunResult& b);

}  // namespace commsim::test
