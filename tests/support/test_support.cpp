#include "support/test_support.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace commsim::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("commsim-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path source_dir() {
  return COMMSIM_SOURCE_DIR;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

void flip_bytes(const std::filesystem::path& file, std::uint64_t offset, std::size_t count) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  for (std::size_t i = 0; i < count; ++i) {
    f.seekg(static_cast<std::streamoff>(offset + i));
    const int c = f.get();
    f.seekp(static_cast<std::streamoff>(offset + i));
    f.put(static_cast<char>(c ^ 0x5a));
  }
}

SmallDisk::SmallDisk(const std::filesystem::path& at, int kib, bool read_only) : path_(at) {
  std::filesystem::create_directories(at);
  const std::string options = "size=" + std::to_string(kib) + "k";
  mounted_ = geteuid() == 0 &&
             mount("tmpfs", at.c_str(), "tmpfs", read_only ? MS_RDONLY : 0, options.c_str()) == 0;
}

SmallDisk::~SmallDisk() {
  if (mounted_) umount2(path_.c_str(), MNT_DETACH);
}

pid_t start_commsim(const std::vector<std::string>& args, const std::filesystem::path& out_file,
                    const std::filesystem::path& err_file) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (chdir(COMMSIM_SOURCE_DIR) != 0) _exit(127);
    std::FILE* o = std::freopen(out_file.c_str(), "w", stdout);
    std::FILE* e = std::freopen(err_file.c_str(), "w", stderr);
    if (!o || !e) _exit(127);
    std::vector<char*> argv;
    std::string bin = COMMSIM_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

CommandResult run_commsim(const std::vector<std::string>& args) {
  return run_commsim_within(args, 0);
}

CommandResult run_commsim_within(const std::vector<std::string>& args, double seconds) {
  TempDir capture;
  const auto out_file = capture / "stdout";
  const auto err_file = capture / "stderr";
  const pid_t pid = start_commsim(args, out_file, err_file);
  CommandResult r;
  int status = 0;
  if (seconds <= 0) {
    waitpid(pid, &status, 0);
  } else {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        r.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_file);
  r.err = read_file(err_file);
  return r;
}

}  // namespace commsim::test

#include <cstring>

#include "sim/output/hdf5.hpp"

namespace commsim::test {

namespace {

// The file offset of HDF5 address 0: the size of the user block.
std::uint64_t base_address(hid_t file) {
  const output::h5::PropertyList create{H5Fget_create_plist(file)};
  hsize_t block = 0;
  EXPECT_GE(H5Pget_userblock(create, &block), 0);
  return block;
}

}  // namespace

std::uint64_t chunk_offset(const std::filesystem::path& file, const std::string& dataset) {
  const auto f = output::h5::open_file(file);
  const auto ds = output::h5::open_dataset(f, dataset);
  const output::h5::Dataspace space{H5Dget_space(ds)};
  std::vector<hsize_t> at(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)), 0);
  haddr_t address = 0;
  hsize_t size = 0;
  unsigned mask = 0;
  EXPECT_GE(H5Dget_chunk_info(ds, space, 0, at.data(), &mask, &address, &size), 0) << dataset;
  EXPECT_GT(size, 32u) << dataset;
  return base_address(f) + address + size / 2;
}

std::uint64_t header_offset(const std::filesystem::path& file, const std::string& object) {
  const auto f = output::h5::open_file(file);
  const output::h5::Owned<H5Oclose> o{H5Oopen(f, object.c_str(), H5P_DEFAULT)};
  H5O_info_t info{};
  EXPECT_GE(H5Oget_info2(o, &info, H5O_INFO_BASIC), 0) << object;
  return base_address(f) + info.addr;
}

RunFile read_run_file(const std::filesystem::path& p) {
  const auto file = output::h5::open_file(p);
  return {output::read_run(file), output::read_provenance(file)};
}

::testing::AssertionResult same_datasets(const output::RunResult& a, const output::RunResult& b) {
  const auto same_metrics = [](const std::vector<output::Metric>& x,
                               const std::vector<output::Metric>& y,
                               const char* where) -> std::string {
    if (x.size() != y.size()) return std::string(where) + ": different number of datasets";
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i].name != y[i].name) return std::string(where) + ": " + x[i].name + " vs " + y[i].name;
      if (x[i].values.size() != y[i].values.size() ||
          std::memcmp(x[i].values.data(), y[i].values.data(),
                      x[i].values.size() * sizeof(double)) != 0)
        return std::string(where) + "/" + x[i].name + " differs";
    }
    return "";
  };
  std::string diff = same_metrics(a.timeseries, b.timeseries, "timeseries");
  if (diff.empty()) diff = same_metrics(a.summaries, b.summaries, "summary");
  if (diff.empty() && a.tables.size() != b.tables.size()) diff = "different number of tables";
  for (std::size_t t = 0; diff.empty() && t < a.tables.size(); ++t)
    for (std::size_t c = 0; diff.empty() && c < a.tables[t].columns.size(); ++c)
      if (a.tables[t].columns[c].data != b.tables[t].columns[c].data)
        diff = "events/" + a.tables[t].name + "." + a.tables[t].columns[c].name + " differs";
  if (diff.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << diff;
}

std::vector<double> drawn_needs(const output::Metric& arisen, const output::Metric& prevented) {
  const std::size_t types = prevented.cells();
  if (types == 0 || arisen.dims.empty() || arisen.dims.back().labels.size() != types)
    throw std::runtime_error("drawn_needs: " + arisen.name + " and " + prevented.name +
                             " do not share the need types");
  const std::size_t rows = prevented.values.size() / types;
  if (rows == 0 || arisen.values.size() % rows != 0)
    throw std::runtime_error("drawn_needs: " + arisen.name + " and " + prevented.name +
                             " have different rows");
  const std::size_t per_row = arisen.values.size() / rows;  // grid x group x type
  std::vector<double> out(prevented.values);
  for (std::size_t i = 0; i < arisen.values.size(); ++i)
    out[(i / per_row) * types + i % types] += arisen.values[i];
  return out;
}

namespace {

// The variables of the tests' MPI runs, each passed on to the ranks (mpirun -x).
std::vector<std::pair<std::string, std::string>> mpirun_environment() {
  return {{"OMPI_ALLOW_RUN_AS_ROOT", "1"},
          {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"},
          {"OMPI_MCA_rmaps_base_oversubscribe", "1"},
          {"OMPI_MCA_mca_base_component_disable_dlclose", "1"},
          {"PMIX_MCA_mca_base_component_disable_dlclose", "1"},
          // Open MPI's libraries have no frame pointers: the slow unwinder follows their stacks
          // into the library that allocated, which the suppressions then name.
          {"ASAN_OPTIONS", "detect_leaks=1:fast_unwind_on_malloc=0"},
          {"LSAN_OPTIONS", "suppressions=" + (source_dir() / "tests/lsan_mpi.supp").string()}};
}

std::vector<std::string> mpirun_arguments(int ranks) {
  std::vector<std::string> out = {"mpirun", "--oversubscribe"};
  for (const auto& [name, value] : mpirun_environment()) {
    out.push_back("-x");
    out.push_back(name);
  }
  out.push_back("-n");
  out.push_back(std::to_string(ranks));
  return out;
}

}  // namespace

bool mpirun_available() {
  return std::system("command -v mpirun > /dev/null 2>&1") == 0;
}

std::string mpirun_prefix(int ranks, int seconds) {
  std::string out;
  for (const auto& [name, value] : mpirun_environment()) out += name + "=" + value + " ";
  out += "timeout " + std::to_string(seconds) + " ";
  for (const auto& a : mpirun_arguments(ranks)) out += a + " ";
  return out;
}

MpirunExec::MpirunExec(int ranks, const std::vector<std::string>& args,
                       const std::filesystem::path& stderr_file)
    : words_(mpirun_arguments(ranks)), stderr_file_(stderr_file.string()) {
  words_.push_back(COMMSIM_BIN);
  words_.insert(words_.end(), args.begin(), args.end());
  const auto ours = mpirun_environment();
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const auto name = entry.substr(0, entry.find('='));
    if (std::none_of(ours.begin(), ours.end(), [&](const auto& v) { return v.first == name; }))
      environment_.push_back(entry);
  }
  for (const auto& [name, value] : ours) environment_.push_back(name + "=" + value);
  for (auto& w : words_) argv_.push_back(w.data());
  argv_.push_back(nullptr);
  for (auto& e : environment_) envp_.push_back(e.data());
  envp_.push_back(nullptr);
}

void MpirunExec::exec() const {
  const int err = ::open(stderr_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (err < 0 || null < 0 || ::dup2(err, 2) < 0 || ::dup2(null, 1) < 0) _exit(127);
  ::execvpe("mpirun", argv_.data(), envp_.data());
  _exit(127);
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string stat = read_file(e.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) out.push_back(static_cast<pid_t>(std::stol(e.path().filename().string())));
  }
  return out;
}

const output::Metric& find_metric(const std::vector<output::Metric>& metrics,
                                  const std::string& name) {
  for (const auto& m : metrics)
    if (m.name == name) return m;
  throw std::runtime_error("no metric " + name);
}

std::vector<double> drawn_needs(const RunFile& f, bool daily) {
  const auto& metrics = daily ? f.result.timeseries : f.result.summaries;
  return drawn_needs(find_metric(metrics, "needs_arisen"),
                     find_metric(metrics, "needs_prevented_by_fixes"));
}

}  // namespace commsim::test
