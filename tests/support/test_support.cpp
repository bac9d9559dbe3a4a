#include "support/test_support.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <limits>
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

namespace {

// The first difference of two runs' datasets, "" if none: values bitwise (NaN equal to NaN), or
// with `every_field` also what describes them (units, descriptions, labels, the declarations'
// attributes, a community's subdistrict).
class RunDiff {
 public:
  explicit RunDiff(bool every_field) : every_field_(every_field) {}

  std::string runs(const output::RunResult& a, const output::RunResult& b) {
    if (every_field_ && (a.days != b.days || a.start_weekday != b.start_weekday))
      return "days or start_weekday differ";
    std::string d =
        contents(a.timeseries, b.timeseries, a.summaries, b.summaries, a.tables, b.tables, "");
    if (!d.empty()) return d;
    if (a.parts.size() != b.parts.size())
      return std::to_string(a.parts.size()) + " vs " + std::to_string(b.parts.size()) + " parts";
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
      const auto &x = a.parts[i], &y = b.parts[i];
      const std::string where = x.level + " " + x.name + ": ";
      if (x.level != y.level || x.name != y.name)
        return "part " + std::to_string(i) + ": " + x.level + " " + x.name + " vs " + y.level +
               " " + y.name;
      if (every_field_ && x.subdistrict != y.subdistrict)
        return where + "subdistrict " + x.subdistrict + " vs " + y.subdistrict;
      d = contents(x.timeseries, y.timeseries, x.summaries, y.summaries, x.tables, y.tables, where);
      if (!d.empty()) return d;
    }
    return tables(a.region_tables, b.region_tables, "region/");
  }

 private:
  static bool same_double(double x, double y) {
    return (std::isnan(x) && std::isnan(y)) ||
           std::memcmp(&x, &y, sizeof x) == 0;  // bitwise: -0 is not 0
  }
  static bool same_values(const std::vector<double>& x, const std::vector<double>& y) {
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), same_double);
  }

  std::string contents(const std::vector<output::Metric>& ats,
                       const std::vector<output::Metric>& bts,
                       const std::vector<output::Metric>& asu,
                       const std::vector<output::Metric>& bsu, const std::vector<output::Table>& at,
                       const std::vector<output::Table>& bt, const std::string& where) {
    std::string d = metrics(ats, bts, where + "timeseries");
    if (d.empty()) d = metrics(asu, bsu, where + "summary");
    if (d.empty()) d = tables(at, bt, where + "events/");
    return d;
  }

  std::string metrics(const std::vector<output::Metric>& x, const std::vector<output::Metric>& y,
                      const std::string& where) {
    if (x.size() != y.size()) return where + ": different number of datasets";
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto &a = x[i], &b = y[i];
      const std::string at = where + "/" + a.name;
      if (a.name != b.name) return where + ": " + a.name + " vs " + b.name;
      if (!same_values(a.values, b.values)) return at + " differs";
      if (!every_field_) continue;
      if (a.unit != b.unit || a.description != b.description) return at + ": unit or description";
      if (a.dims.size() != b.dims.size()) return at + ": different axes";
      for (std::size_t k = 0; k < a.dims.size(); ++k)
        if (a.dims[k].name != b.dims[k].name || a.dims[k].labels != b.dims[k].labels)
          return at + ": axis " + a.dims[k].name;
      if (a.combine != b.combine || a.rule != b.rule || a.source != b.source ||
          a.headline_kind != b.headline_kind || a.key != b.key)
        return at + ": combine, rule, source, headline_kind or key";
      if (!same_double(a.headline, b.headline)) return at + ": headline";
      if (!same_double(a.headline_weight, b.headline_weight)) return at + ": headline_weight";
    }
    return "";
  }

  std::string tables(const std::vector<output::Table>& x, const std::vector<output::Table>& y,
                     const std::string& where) {
    if (x.size() != y.size()) return where + ": different number of tables";
    for (std::size_t t = 0; t < x.size(); ++t) {
      const auto &a = x[t], &b = y[t];
      if (a.name != b.name) return where + a.name + " vs " + b.name;
      if (a.columns.size() != b.columns.size()) return where + a.name + ": different columns";
      if (every_field_ && a.description != b.description) return where + a.name + ": description";
      for (std::size_t c = 0; c < a.columns.size(); ++c) {
        const auto &p = a.columns[c], &q = b.columns[c];
        const std::string at = where + a.name + "." + p.name;
        if (p.name != q.name) return at + " vs " + q.name;
        // The variant compares the type too: an int64 column read back as float64 differs.
        const bool same =
            p.data.index() == q.data.index() &&
            (p.data.index() != 1 ? p.data == q.data
                                 : same_values(std::get<1>(p.data), std::get<1>(q.data)));
        if (!same) return at + " differs";
        if (every_field_ && (p.unit != q.unit || p.description != q.description))
          return at + ": unit or description";
        if (every_field_ && p.labels != q.labels) return at + ": labels";
      }
    }
    return "";
  }

  bool every_field_;
};

::testing::AssertionResult as_assertion(const std::string& diff) {
  if (diff.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << diff;
}

}  // namespace

::testing::AssertionResult same_datasets(const output::RunResult& a, const output::RunResult& b) {
  return as_assertion(RunDiff(false).runs(a, b));
}

::testing::AssertionResult same_run(const output::RunResult& a, const output::RunResult& b) {
  return as_assertion(RunDiff(true).runs(a, b));
}

output::RunResult region_run() {
  using output::Column;
  using output::Metric;
  using output::Table;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const output::Dimension groups{"group", {"Han", "Hui"}};
  // A community's (or the region's) summaries: a pooled share with its weight, a count without.
  const auto summaries = [&](double closure, double weight, double opened) {
    Metric rate{
        "closure_rate", "share", "Work orders resolved / opened over the run.", {}, {closure}};
    rate.combine = "ratio";
    rate.rule = "over_run";
    rate.source = "work_orders_resolved";
    rate.headline = closure;
    rate.headline_kind = "mean";
    rate.headline_weight = weight;
    rate.key = true;
    Metric orders{"work_orders_opened",
                  "orders",
                  "Total over the run.",
                  {groups},
                  {opened * 0.75, opened * 0.25}};
    orders.combine = "sum";
    orders.rule = "total";
    orders.source = "work_orders_opened";
    orders.headline = opened;
    orders.headline_kind = "total";
    return std::vector<Metric>{rate, orders};
  };
  const auto series = [&](double scale) {
    Metric opened{"work_orders_opened", "orders", "Work orders opened that day.", {groups}, {}};
    for (int i = 0; i < 6; ++i) opened.values.push_back(scale * i);
    opened.values[3] = -0.0;
    opened.combine = "sum";
    opened.rule = "total";
    return std::vector<Metric>{opened};
  };

  output::RunResult r;
  r.days = 3;
  r.start_weekday = 4;
  r.timeseries = series(3.0);
  r.summaries = summaries(0.9, 120.0, 120.0);

  output::RunPart first{"community", "C001", "S01", {}, summaries(0.96, 50.0, 50.0), {}};
  Table orders{"work_orders", "One row per need.", {}};
  orders.columns.push_back({"channel",
                            "",
                            "Reporting channel.",
                            std::vector<std::int64_t>{0, -1},
                            {"patrol", "steward"}});
  orders.columns.push_back(
      {"days_to_resolution", "days", "Fractional days.", std::vector<double>{0.5, nan}, {}});
  output::RunPart second{
      "community", "金花园/East.2", "S01", series(2.0), summaries(0.86, 70.0, 70.0), {orders}};
  output::RunPart subdistrict{"subdistrict", "S01", "", {}, summaries(0.9, 120.0, 120.0), {}};
  r.parts = {first, second, subdistrict};

  Table communities{"communities", "One row per community.", {}};
  communities.columns.push_back({"community",
                                 "",
                                 "The community.",
                                 std::vector<std::int64_t>{0, 1},
                                 {"C001", "金花园/East.2"}});
  communities.columns.push_back(
      {"subdistrict", "", "Its subdistrict.", std::vector<std::int64_t>{0, 0}, {"S01"}});
  communities.columns.push_back(
      {"households", "households", "", std::vector<std::int64_t>{3000, 4200}, {}});
  communities.columns.push_back({"closure_rate", "share", "", std::vector<double>{0.96, 0.86}, {}});
  Table subdistricts{"subdistricts", "One row per subdistrict.", {}};
  subdistricts.columns.push_back(
      {"subdistrict", "", "The subdistrict.", std::vector<std::int64_t>{0}, {"S01"}});
  subdistricts.columns.push_back(
      {"whistle_capacity", "orders", "", std::vector<std::int64_t>{-1}, {}});
  subdistricts.columns.push_back(
      {"department_wait_mean", "days", "", std::vector<double>{nan}, {}});
  r.region_tables = {communities, subdistricts};
  return r;
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
