// `commsim sweep` and `commsim merge` end to end: sweep file errors, identical points, common
// random numbers, single process = shards + merge = MPI, resume after SIGKILL and SIGINT.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/output/hdf5.hpp"
#include "support/test_support.hpp"
#include "tests/experiment/sweep_files.hpp"

namespace commsim::test {
namespace {

namespace h5 = output::h5;

std::string base_path() {
  return (source_dir() / "scenarios" / "baseline.yaml").string();
}

// A small, fast community: 3 grids of 100 households, a month, no burn-in (sweep mechanics).
std::string small(const std::string& rest, int days = 30, int households = 300) {
  return "base: " + base_path() +
         "\nset:\n  run.burn_in_days: 0\n  run.days: " + std::to_string(days) +
         "\n  community.households: " + std::to_string(households) +
         "\n  community.households_per_grid: 100\n" + rest;
}

output::RunResult read_run_at(const std::filesystem::path& file, const std::string& group) {
  const auto f = h5::open_file(file);
  const auto g = h5::open_group(f, group);
  return output::read_run(g);
}

std::vector<double> summary_column(const std::filesystem::path& file, const std::string& name) {
  const auto f = h5::open_file(file);
  const auto g = h5::open_group(f, "sweep");
  const auto t = output::read_table(g, "summary");
  for (const auto& c : t.columns)
    if (c.name == name) return std::get<std::vector<double>>(c.data);
  ADD_FAILURE() << "no summary column " << name;
  return {};
}

TEST(SweepFile, ErrorsNameFileLineAndKeyAndExitWith2) {
  TempDir dir;
  const auto check = [&](const std::string& text, const std::string& expected) {
    write_file(dir / "bad.yaml", text);
    const auto r =
        run_commsim({"sweep", (dir / "bad.yaml").string(), "-o", (dir / "out.h5").string()});
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_NE(r.err.find(expected), std::string::npos)
        << "expected: " << expected << "\ngot: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
  };
  check(small("design: grid\nreplicatons: 2\nparameters: {run.days: [1]}\n"),
        "bad.yaml:8:1: replicatons: unknown key (did you mean 'replications'?)");
  check(small("design: grid\nparameters:\n  community.low_incom_share: [0.1]\n"),
        "bad.yaml:9:3: community.low_incom_share: no scenario key 'low_incom_share' in "
        "'community' (did you mean 'low_income_share'?)");
  check(small("design: grid\nparameters:\n  community.low_income_share: [0.1, 1.5]\n"),
        "bad.yaml:9:37: community.low_income_share:");
  check(small("design: gird\nparameters: {run.days: [1]}\n"),
        "bad.yaml:7:9: design: expected one of list, grid, lhs, saltelli (did you mean 'grid'?)");
  check(small("design: lhs\nparameters:\n  community.low_income_share: {min: 0.3, max: 0.1}\n"
              "samples: 4\n"),
        "community.low_income_share.max: must be greater than min");
  check(small("design: list\npoints:\n  - {community.households_per_grid: 0}\n"),
        "bad.yaml:9:37: community.households_per_grid:");
  check("design: grid\nparameters: {run.days: [1]}\n", "bad.yaml:1:1: base: required key");
  check(small("design: grid\nparameters: {run.seed: [1, 2]}\n"), "run.seed: the seed cannot");
}

TEST(SweepFile, SweepAndMergeAreListedWithHelp) {
  const auto overview = run_commsim({"--help"});
  EXPECT_NE(overview.out.find("sweep"), std::string::npos);
  EXPECT_NE(overview.out.find("merge"), std::string::npos);
  const auto help = run_commsim({"sweep", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--resume"), std::string::npos);
  EXPECT_NE(help.out.find("--shard i/N"), std::string::npos);
  EXPECT_EQ(run_commsim({"sweep"}).exit_code, 2);
  EXPECT_EQ(run_commsim({"merge", "only.h5"}).exit_code, 2);
}

TEST(SweepFile, DryRunValidatesWithoutRunning) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  community.low_income_share: [0.1, 0.2, 0.3]\n"));
  const auto r = run_commsim({"sweep", (dir / "s.yaml").string(), "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 points x 2 replications = 6 runs"), std::string::npos) << r.out;
}

TEST(Sweep, WritesTheLayoutOfDocsOutputMd) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  community.low_income_share: [0.1, 0.3]\n"
                                   "  community.name: [North, South]\n"));
  const auto r = run_commsim({"sweep", (dir / "s.yaml").string(), "-o", (dir / "o.h5").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5.partial")) << "folder removed when complete";
  const auto f = h5::open_file(dir / "o.h5");
  const auto sweep = h5::open_group(f, "sweep");
  EXPECT_EQ(h5::read_attribute<std::string>(sweep, "design"), "grid");
  EXPECT_EQ(h5::read_attribute<std::int64_t>(sweep, "replications"), 2);
  EXPECT_EQ(h5::read_attribute<std::string>(sweep, "seeds"), "common");
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(sweep, "parameters"),
            (std::vector<std::string>{"community.low_income_share", "community.name"}));
  const auto points = output::read_table(sweep, "points");
  ASSERT_EQ(points.columns.size(), 3u);
  EXPECT_EQ(points.columns[2].name, "community.name");
  EXPECT_EQ(std::get<std::vector<double>>(points.columns[2].data),
            (std::vector<double>{0, 1, 0, 1}));
  const h5::Dataset ds(H5Dopen2(sweep, "points", H5P_DEFAULT));
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(ds, "levels_community.name"),
            (std::vector<std::string>{"North", "South"}));
  const auto summary = output::read_table(sweep, "summary");
  ASSERT_GE(summary.columns.size(), 4u);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(summary.columns[0].data),
            (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(summary.columns[1].data),
            (std::vector<std::int64_t>{0, 1, 0, 1, 0, 1, 0, 1}));
  const auto& seeds = std::get<std::vector<std::uint64_t>>(summary.columns[2].data);
  EXPECT_EQ(seeds[0], seeds[2]) << "common seeds";
  EXPECT_NE(seeds[0], seeds[1]);
  const auto provenance = h5::open_group(f, "provenance");
  EXPECT_NE(h5::read_attribute<std::string>(provenance, "sweep_text").find("community.name"),
            std::string::npos);
  EXPECT_TRUE(h5::has_attribute(provenance, "design"));
  // The summary table's fields agree with the runs' own summaries.
  const auto run = read_run_at(dir / "o.h5", "runs/p00003/r001");
  const auto hui = summary_column(dir / "o.h5", "households/Hui");
  for (const auto& m : run.summaries)
    if (m.name == "households") {
      EXPECT_EQ(hui[7], m.values[1]);
    }
}

TEST(Sweep, IdenticalPointsGiveIdenticalResultsAndCommonSeedsKeepUntouchedDraws) {
  TempDir dir;
  // Point 0 and 1 are identical; point 2 changes the language proficiency of one group, which
  // no need-arrival mechanism reads, so with common seeds its needs are the same draws.
  const std::string points =
      "replications: 2\ndesign: list\npoints:\n"
      "  - {community.groups.4.low_proficiency: 0.25, community.low_income_share: 0.06}\n"
      "  - {community.groups.4.low_proficiency: 0.25, community.low_income_share: 0.06}\n"
      "  - {community.groups.4.low_proficiency: 0.9, community.low_income_share: 0.06}\n"
      "  - {community.groups.4.low_proficiency: 0.25, community.low_income_share: 0.5}\n";
  write_file(dir / "c.yaml", small("seeds: common\n" + points));
  write_file(dir / "i.yaml", small("seeds: independent\n" + points));
  for (const char* name : {"c", "i"}) {
    const auto r = run_commsim({"sweep", (dir / (std::string(name) + ".yaml")).string(), "-o",
                                (dir / (std::string(name) + ".h5")).string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto c = dir / "c.h5";
  EXPECT_TRUE(
      same_datasets(read_run_at(c, "runs/p00000/r001"), read_run_at(c, "runs/p00001/r001")));
  const auto needs = [](const output::RunResult& r) {
    for (const auto& m : r.timeseries)
      if (m.name == "needs_arisen") return m.values;
    return std::vector<double>{};
  };
  const auto base = needs(read_run_at(c, "runs/p00000/r000"));
  ASSERT_FALSE(base.empty());
  EXPECT_EQ(base, needs(read_run_at(c, "runs/p00002/r000"))) << "needs bitwise unchanged";
  EXPECT_NE(base, needs(read_run_at(c, "runs/p00003/r000")))
      << "low income raises needs (sanity: the comparison can fail)";
  EXPECT_NE(base, needs(read_run_at(c, "runs/p00000/r001"))) << "replications differ";
  const auto i = dir / "i.h5";
  EXPECT_NE(needs(read_run_at(i, "runs/p00000/r000")), needs(read_run_at(i, "runs/p00002/r000")))
      << "independent seeds: each point its own draws";
}

// Named Determinism so the ThreadSanitizer build runs it (scripts/test): runs side by side on two
// threads, the writer thread beside them, and each run's own day loop nested inside.
TEST(Determinism, SweepIsIdenticalOnOneAndTwoThreads) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  staffing.full_time_per_10k: [12, 24]\n",
                                   20));
  const auto sweep = (dir / "s.yaml").string();
  const auto one = dir / "one.h5", two = dir / "two.h5";
  ASSERT_EQ(run_commsim({"sweep", sweep, "-o", one.string(), "-q", "--threads", "1"}).exit_code, 0);
  ASSERT_EQ(run_commsim({"sweep", sweep, "-o", two.string(), "-q", "--threads", "2"}).exit_code, 0);
  EXPECT_TRUE(same_files(one, two));
}

// A single-process sweep keeps one file per run until the assembly; the assembly must not hold
// them all open (each costs a descriptor and about 2 MB in HDF5). 150 runs under a limit of 64
// descriptors: holding every run file open failed here.
TEST(Sweep, AssemblyOfManyRunsStaysWithinFewOpenFiles) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 150\ndesign: list\npoints:\n"
                                   "  - {staffing.full_time_per_10k: 18}\n",
                                   2));
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 64;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);  // the child inherits it
  const auto r = run_commsim(
      {"sweep", (dir / "s.yaml").string(), "-o", (dir / "o.h5").string(), "-q", "--threads", "2"});
  setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_column(dir / "o.h5", "closure_rate").size(), 150u);
}

TEST(Sweep, SingleProcessShardsAndMpiWriteIdenticalDatasets) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: lhs\nsamples: 4\nparameters:\n"
                                   "  community.low_income_share: {min: 0.0, max: 0.4}\n"
                                   "  needs.types.0.rate: {min: 0.05, max: 0.5}\n"));
  const auto sweep = (dir / "s.yaml").string();
  const auto single = dir / "single.h5";
  ASSERT_EQ(run_commsim({"sweep", sweep, "-o", single.string(), "-q", "--threads", "2"}).exit_code,
            0);
  const auto one_thread = dir / "one.h5";
  ASSERT_EQ(
      run_commsim({"sweep", sweep, "-o", one_thread.string(), "-q", "--threads", "1"}).exit_code,
      0);
  EXPECT_TRUE(same_files(single, one_thread));
  for (int n = 1; n <= 3; ++n) {
    std::vector<std::string> merge = {
        "merge", (dir / ("merged" + std::to_string(n) + ".h5")).string(), "-q"};
    for (int i = 0; i < n; ++i) {
      const auto shard = dir / ("shard" + std::to_string(i) + "of" + std::to_string(n) + ".h5");
      const auto r = run_commsim({"sweep", sweep, "-o", shard.string(), "-q", "--shard",
                                  std::to_string(i) + "/" + std::to_string(n)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      merge.push_back(shard.string());
    }
    const auto r = run_commsim(merge);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(same_files(single, merge[1])) << n << " shards";
    if (n == 3) {
      merge.pop_back();  // a shard missing
      const auto missing = run_commsim(merge);
      EXPECT_EQ(missing.exit_code, 2);
      EXPECT_NE(missing.err.find("of 8 runs"), std::string::npos) << missing.err;
    }
  }
  EXPECT_EQ(
      run_commsim({"sweep", sweep, "-o", (dir / "x.h5").string(), "--shard", "3/3"}).exit_code, 2);
  // Shards of different sweeps are refused.
  write_file(dir / "other.yaml", small("replications: 2\ndesign: lhs\nsamples: 4\nparameters:\n"
                                       "  community.low_income_share: {min: 0.0, max: 0.5}\n"
                                       "  needs.types.0.rate: {min: 0.05, max: 0.5}\n"));
  const auto other = dir / "other1of2.h5";
  ASSERT_EQ(run_commsim({"sweep", (dir / "other.yaml").string(), "-o", other.string(), "-q",
                         "--shard", "1/2"})
                .exit_code,
            0);
  const auto mixed = run_commsim(
      {"merge", (dir / "mixed.h5").string(), (dir / "shard0of2.h5").string(), other.string()});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("belongs to a different sweep"), std::string::npos) << mixed.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "mixed.h5"));
  // So are shards of one sweep made by different builds (here: another recorded commit).
  const auto rebuilt = dir / "rebuilt1of2.h5";
  std::filesystem::copy_file(dir / "shard1of2.h5", rebuilt);
  {
    const auto f = h5::open_file(rebuilt, true);
    h5::write_attribute(h5::open_group(f, "provenance"), "git_commit", std::string("0123abcd"));
  }
  output::seal_file(rebuilt);  // as that build would have sealed it
  const auto two_builds = run_commsim(
      {"merge", (dir / "two.h5").string(), (dir / "shard0of2.h5").string(), rebuilt.string()});
  EXPECT_EQ(two_builds.exit_code, 2);
  EXPECT_NE(two_builds.err.find("another build"), std::string::npos) << two_builds.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "two.h5"));

  if (!mpirun_available()) {
    // CI installs Open MPI (scripts/deps.sh): there a missing mpirun is a failure, not a skip.
    if (std::getenv("CI") != nullptr) FAIL() << "mpirun not available under CI";
    GTEST_SKIP() << "mpirun not available: MPI comparison skipped";
  }
  for (int k = 2; k <= 3; ++k) {
    const auto out = dir / ("mpi" + std::to_string(k) + ".h5");
    const std::string cmd = "cd " + dir.path().string() + " && " + mpirun_prefix(k, 120) +
                            COMMSIM_BIN + " sweep " + sweep + " -o " + out.string() +
                            " -q > mpi.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "mpi.log");
    EXPECT_TRUE(same_files(single, out)) << "mpirun -n " << k;
  }
}

// Names in a folder holding a temporary (".tmp-"): a run file or the results file being built.
std::vector<std::string> temporaries(const std::filesystem::path& folder) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(folder))
    if (e.path().filename().string().find(".tmp-") != std::string::npos)
      out.push_back(e.path().filename().string());
  return out;
}

std::size_t finished_runs(const std::filesystem::path& folder) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec);
       !ec && it != std::filesystem::directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    n += name.size() > 3 && name.substr(name.size() - 3) == ".h5";
  }
  return n;
}

// Starts the sweep, waits until `wanted` runs are on disk, then sends `signal`.
int interrupt_after(const std::vector<std::string>& args, const std::filesystem::path& partial,
                    std::size_t wanted, int signal, const std::filesystem::path& log) {
  const pid_t pid = start_commsim(args, "/dev/null", log);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finished_runs(partial) < wanted && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A sweep long enough to interrupt: 24 runs of the full baseline community for 120 days (no
// burn-in: sweep mechanics).
std::string long_sweep() {
  return "base: " + base_path() +
         "\nset: {run.days: 120, run.burn_in_days: 0}\nreplications: 4\ndesign: grid\nparameters:\n"
         "  community.low_income_share: [0.02, 0.06, 0.1]\n"
         "  needs.types.2.rate: [0.1, 0.2]\n";
}

TEST(Sweep, ResumeAfterSigkillRunsOnlyMissingRunsAndMatchesAnUninterruptedSweep) {
  TempDir dir;
  write_file(dir / "s.yaml", long_sweep());
  const auto out = dir / "o.h5";
  const auto partial = dir / "o.h5.partial";
  const std::vector<std::string> args = {
      "sweep", (dir / "s.yaml").string(), "-o", out.string(), "-q", "--threads", "2"};
  const int code = interrupt_after(args, partial, 3, SIGKILL, dir / "log");
  EXPECT_EQ(code, 128 + SIGKILL);
  ASSERT_FALSE(std::filesystem::exists(out)) << "killed before the end: no final file";
  // The results file was being built inside the partial folder, not beside the output.
  EXPECT_TRUE(temporaries(dir.path()).empty()) << temporaries(dir.path())[0];
  const std::size_t kept = finished_runs(partial);
  ASSERT_GE(kept, 3u);
  ASSERT_LT(kept, 24u);

  // Without --resume the unfinished sweep is not thrown away.
  const auto again = run_commsim(args);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  // A changed sweep file is refused.
  write_file(dir / "s.yaml", long_sweep() + "  needs.types.3.rate: [0.1, 0.2]\n");
  auto changed = args;
  changed.push_back("--resume");
  const auto refused = run_commsim(changed);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("different sweep"), std::string::npos) << refused.err;

  // Kept run files that do not read back are run again: one cut short (as by a disk failing),
  // one with 16 bytes flipped inside a chunk of needs_arisen, one with 8 bytes flipped in an
  // object header. Only the names and the root attribute were checked before: the flipped chunk
  // was copied raw into the results, the flipped header failed every later --resume.
  std::vector<std::filesystem::path> kept_files;
  for (const auto& e : std::filesystem::directory_iterator(partial))
    if (e.path().extension() == ".h5") kept_files.push_back(e.path());
  std::sort(kept_files.begin(), kept_files.end());
  ASSERT_GE(kept_files.size(), 3u);
  std::filesystem::resize_file(kept_files[0], 1000);
  flip_bytes(kept_files[1], chunk_offset(kept_files[1], "run/timeseries/needs_arisen"), 16);
  flip_bytes(kept_files[2], header_offset(kept_files[2], "run/summary/closure_rate") + 24, 8);
  write_file(dir / "s.yaml", long_sweep());
  auto resume = args;
  resume.erase(resume.begin() + 4);  // not quiet: the summary says how many runs were new
  resume.push_back("--resume");
  const auto resumed = run_commsim(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("24 runs (" + std::to_string(24 - kept + 3) + " new)"),
            std::string::npos)
      << resumed.out;
  EXPECT_NE(resumed.err.find("3 damaged run files"), std::string::npos) << resumed.err;
  EXPECT_FALSE(std::filesystem::exists(partial));
  // The published file reads back whole, with HDF5's own tool too.
  EXPECT_NO_THROW(h5::verify(h5::open_file(out)));
  EXPECT_EQ(
      std::system(("h5diff " + out.string() + " " + out.string() + " > /dev/null 2>&1").c_str()),
      0);

  const auto clean = dir / "clean.h5";
  ASSERT_EQ(run_commsim({"sweep", (dir / "s.yaml").string(), "-o", clean.string(), "-q"}).exit_code,
            0);
  EXPECT_TRUE(same_files(clean, out));
}

TEST(Sweep, SigintStopsCleanlyAndLeavesAResumableSweep) {
  TempDir dir;
  write_file(dir / "s.yaml", long_sweep());
  const auto out = dir / "o.h5";
  const std::vector<std::string> args = {
      "sweep", (dir / "s.yaml").string(), "-o", out.string(), "--threads", "2"};
  const int code = interrupt_after(args, dir / "o.h5.partial", 2, SIGINT, dir / "log");
  EXPECT_EQ(code, 130) << read_file(dir / "log");
  EXPECT_NE(read_file(dir / "log").find("continue with --resume"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_TRUE(temporaries(dir / "o.h5.partial").empty())
      << "a clean stop removes the results file it was building";
  EXPECT_TRUE(temporaries(dir.path()).empty());
  auto resume = args;
  resume.push_back("--resume");
  // Runs of one sweep come from one build: a resume by another build is refused.
  const auto stamp = dir / "o.h5.partial" / "fingerprint";
  const std::string stamped = read_file(stamp);
  write_file(stamp, stamped.substr(0, stamped.find('\n') + 1) + "commsim 0.0.1 0123abcd\n");
  const auto refused = run_commsim(resume);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("one sweep's runs must come from one build"), std::string::npos)
      << refused.err;
  write_file(stamp, stamped);
  const auto r = run_commsim(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out));
}

// The output is checked before any run: a folder, a missing folder, a read-only folder and a full
// disk are exit 2 at once (a sweep found out after all its runs, a run after simulating).
TEST(Sweep, OutputProblemsAreExit2BeforeAnyRun) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  community.low_income_share: [0.1, 0.3]\n"));
  const auto sweep = (dir / "s.yaml").string();
  const auto refused = [&](const std::string& out, const std::string& expected) {
    for (const bool is_sweep : {true, false}) {
      const auto r = is_sweep ? run_commsim({"sweep", sweep, "-o", out, "-q"})
                              : run_commsim({"run", base_path(), "-o", out, "-q", "--days", "2"});
      EXPECT_EQ(r.exit_code, 2) << out << "\n" << r.err;
      EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
      EXPECT_FALSE(std::filesystem::exists(out + ".partial")) << "no run was started";
    }
  };
  refused(dir.path().string(), "it is a folder");
  refused((dir / "missing" / "o.h5").string(), "does not exist");
  std::filesystem::create_directories(dir / "locked");
  const SmallDisk read_only(dir / "locked", 64, true);
  if (read_only.mounted()) {
    refused((dir / "locked" / "o.h5").string(), "Read-only file system");
  } else if (geteuid() != 0) {
    std::filesystem::permissions(
        dir / "locked", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    refused((dir / "locked" / "o.h5").string(), "Permission denied");
    std::filesystem::permissions(dir / "locked", std::filesystem::perms::owner_all);
  }
  const SmallDisk full(dir / "full", 64);
  if (!full.mounted())
    GTEST_SKIP() << "the full-disk case mounts a tmpfs and needs root (CI runs as root)";
  refused((dir / "full" / "o.h5").string(), "free");
}

std::vector<std::string> shard_files(const TempDir& dir, const std::string& sweep) {
  std::vector<std::string> shards;
  for (int i = 0; i < 2; ++i) {
    const auto shard = dir / ("shard" + std::to_string(i) + ".h5");
    const auto r = run_commsim(
        {"sweep", sweep, "-o", shard.string(), "-q", "--shard", std::to_string(i) + "/2"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    shards.push_back(shard.string());
  }
  return shards;
}

TEST(Merge, BadShardsAndOutputsAreExit2NamingTheFile) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  community.low_income_share: [0.1, 0.3]\n",
                                   40));
  const auto shards = shard_files(dir, (dir / "s.yaml").string());
  const auto merged = (dir / "m.h5").string();
  const auto refused = [&](const std::vector<std::string>& args, const std::string& expected) {
    const auto r = run_commsim(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << "expected: " << expected << "\n" << r.err;
  };
  // OUT equal to an input: it used to be overwritten silently.
  const std::string before = read_file(shards[0]);
  refused({"merge", shards[0], shards[0], shards[1]}, "it is one of the shards");
  EXPECT_EQ(read_file(shards[0]), before);
  refused({"merge", (dir / "no" / "m.h5").string(), shards[0], shards[1]}, "does not exist");
  refused({"merge", dir.path().string(), shards[0], shards[1]}, "it is a folder");
  // A truncated shard, a file that is not HDF5, a shard with a damaged chunk.
  const auto cut = dir / "cut.h5";
  std::filesystem::copy_file(shards[1], cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(cut) / 2);
  refused({"merge", merged, shards[0], cut.string()}, cut.string());
  write_file(dir / "text.h5", "not an HDF5 file\n");
  refused({"merge", merged, shards[0], (dir / "text.h5").string()}, (dir / "text.h5").string());
  const auto damaged = dir / "damaged.h5";
  std::filesystem::copy_file(shards[1], damaged);
  flip_bytes(damaged, chunk_offset(damaged, "runs/p00000/r001/timeseries/needs_arisen"), 16);
  refused({"merge", merged, shards[0], damaged.string()}, damaged.string() + ": it is damaged");
  EXPECT_FALSE(std::filesystem::exists(merged));
  EXPECT_TRUE(temporaries(dir.path()).empty());
  // The good shards still merge.
  const auto r = run_commsim({"merge", merged, shards[0], shards[1], "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_THROW(h5::verify(h5::open_file(merged)));
}

TEST(Merge, StoppedBySignalLeavesNoTemporary) {
  TempDir dir;
  // Many short runs: copying them takes long enough to be interrupted.
  write_file(dir / "s.yaml", small("replications: 60\ndesign: list\npoints:\n"
                                   "  - {staffing.full_time_per_10k: 18}\n",
                                   2));
  const auto shards = shard_files(dir, (dir / "s.yaml").string());
  const auto merged = dir / "m.h5";
  // A temporary of a merge killed by SIGKILL (a process that no longer runs) is removed by the
  // next merge into the same file.
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const auto stale = dir / ("m.h5.tmp-" + std::to_string(gone));
  write_file(stale, "left by a killed merge");
  for (const int signal : {SIGTERM, SIGINT}) {
    const pid_t pid = start_commsim({"merge", merged.string(), shards[0], shards[1], "-q"},
                                    "/dev/null", dir / "log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    const auto mine = dir / ("m.h5.tmp-" + std::to_string(pid));
    while (!std::filesystem::exists(mine) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == signal)
        << "the merge must still be under way when signalled (status " << status << ")";
    EXPECT_TRUE(temporaries(dir.path()).empty()) << temporaries(dir.path())[0];
    EXPECT_FALSE(std::filesystem::exists(merged));
  }
}

TEST(Sweep, ResumeOfAFinishedShardDoesNoWorkAndFinishesAnInterruptedPublish) {
  TempDir dir;
  write_file(dir / "s.yaml", small("replications: 2\ndesign: grid\nparameters:\n"
                                   "  community.low_income_share: [0.1, 0.3]\n",
                                   20));
  const auto sweep = (dir / "s.yaml").string();
  const auto shard = dir / "shard.h5";
  const std::vector<std::string> args = {"sweep", sweep, "-o", shard.string(), "--shard", "1/2"};
  ASSERT_EQ(run_commsim(args).exit_code, 0);
  const std::string published = read_file(shard);
  auto resume = args;
  resume.push_back("--resume");
  // A requeued array task: nothing is run, the file is left as it is.
  auto r = run_commsim(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already complete"), std::string::npos) << r.out;
  EXPECT_EQ(read_file(shard), published);
  // A finished file damaged since: an error naming it, not a silent rerun over it.
  flip_bytes(shard, published.size() / 2, 1);
  r = run_commsim(resume);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(shard.string() + " is damaged"), std::string::npos) << r.err;
  flip_bytes(shard, published.size() / 2, 1);
  // Killed while publishing: the file was renamed into place, the folder only partly removed
  // (here: its fingerprint already gone, so the folder no longer says whose it is).
  std::filesystem::create_directories(dir / "shard.h5.partial");
  write_file(dir / "shard.h5.partial" / "p00001-r001.h5", "a run file left behind");
  r = run_commsim(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "shard.h5.partial"));
  EXPECT_EQ(read_file(shard), published);
  // Another shard of the same sweep under that name is not "finished": it is run.
  auto other = resume;
  other[5] = "0/2";
  r = run_commsim(other);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("already complete"), std::string::npos) << r.out;
}

TEST(Sweep, SigtermUnderMpiStopsCleanlyWith130) {
  if (!mpirun_available()) {
    if (std::getenv("CI") != nullptr) FAIL() << "mpirun not available under CI";
    GTEST_SKIP() << "mpirun not available";
  }
  TempDir dir;
  write_file(dir / "s.yaml", long_sweep());
  const auto out = dir / "o.h5";
  const MpirunExec command(3, {"sweep", (dir / "s.yaml").string(), "-o", out.string(), "-q"},
                           dir / "log");
  const pid_t mpirun = fork();
  if (mpirun == 0) command.exec();
  const auto partial = dir / "o.h5.partial";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (finished_runs(partial) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // As Slurm's scancel does: SIGTERM to every rank (the children of mpirun).
  const std::vector<pid_t> ranks = test::children_of(mpirun);
  ASSERT_EQ(ranks.size(), 3u);
  for (const pid_t rank : ranks) kill(rank, SIGTERM);
  int status = 0;
  waitpid(mpirun, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << read_file(dir / "log");
  EXPECT_EQ(WEXITSTATUS(status), 130) << read_file(dir / "log");
  EXPECT_NE(read_file(dir / "log").find("continue with --resume"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_TRUE(temporaries(partial).empty()) << "the results file under way is removed";
  EXPECT_GE(finished_runs(partial), 2u);
}
}  // namespace
}  // namespace commsim::test
