// Progress for logs: without a terminal (here stderr is a file) `run` and `sweep` write a line
// every --progress-every seconds with done/total, rate, elapsed time and ETA, and a last line at
// the end; under mpirun only rank 0 writes them, counting every rank's runs; --quiet writes none.

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <sstream>

#include "sim/cli/progress.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

struct Line {
  long long done = 0;
  long long total = 0;
  long long percent = 0;
};

// The progress lines of stderr counting `unit`; fails on a line that looks like progress but does
// not read as one.
std::vector<Line> progress_lines(const std::string& err, const std::string& unit) {
  const std::regex line("commsim: (\\d+)/(\\d+) " + unit + " \\((\\d+)%\\)(, [0-9.]+ " + unit +
                        "/(s|min))?, elapsed [0-9.hms]+"
                        "(, ETA ([0-9.hms]+|-))?");
  std::vector<Line> out;
  std::istringstream in(err);
  for (std::string text; std::getline(in, text);) {
    if (text.find(" " + unit + " (") == std::string::npos) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(text, m, line)) << "not a progress line: " << text;
    if (!m.empty()) out.push_back({std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3])});
  }
  return out;
}

// Several lines, the count never going back, every line of the whole job, the last one complete.
void expect_progress_to(const std::vector<Line>& lines, long long total) {
  ASSERT_GE(lines.size(), 2u) << "periodic lines and the last line";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].total, total);
    EXPECT_EQ(lines[i].percent, 100 * lines[i].done / total)
        << "rounded down: 100% only at the end";
    if (i > 0) {
      EXPECT_GE(lines[i].done, lines[i - 1].done);
    }
  }
  EXPECT_EQ(lines.back().done, total);
}

TEST(Progress, RunWithoutATerminalWritesPeriodicLines) {
  TempDir dir;
  // A period far below the run's length (a day takes milliseconds), so lines must appear. The
  // days counted are the simulated ones: the burn-in's and the recorded.
  const auto r =
      run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "r.h5").string(), "--days", "120",
                   "--set", "run.burn_in_days=30", "--threads", "1", "--progress-every", "0.002"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_progress_to(progress_lines(r.err, "days"), 150);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no bar redrawing in a log";
  EXPECT_NE(r.out.find("resident-days/s"), std::string::npos) << "the summary is still printed";
}

TEST(Progress, EnvironmentSetsThePeriodAndQuietSilencesIt) {
  TempDir dir;
  ::setenv("COMMSIM_PROGRESS_EVERY", "0.002", 1);
  // No burn-in: the progress mechanics only.
  const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "r.h5").string(),
                              "--days", "120", "--set", "run.burn_in_days=0", "--threads", "1"});
  const auto quiet = run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "q.h5").string(),
                                  "--days", "120", "--set", "run.burn_in_days=0", "--quiet"});
  ::unsetenv("COMMSIM_PROGRESS_EVERY");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_progress_to(progress_lines(r.err, "days"), 120);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "");
}

TEST(Progress, DefaultPeriodWritesNothingForAShortRun) {
  TempDir dir;
  const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "r.h5").string(),
                              "--days", "10", "--set", "run.burn_in_days=0"});  // short: no burn-in
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(progress_lines(r.err, "days").empty()) << r.err;
}

TEST(Progress, BadPeriodIsAUsageError) {
  TempDir dir;
  for (const char* bad : {"0", "-1", "soon", "nan"}) {
    const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "r.h5").string(),
                                "--days", "5", "--progress-every", bad});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--progress-every: expected a number of seconds > 0"), std::string::npos)
        << r.err;
  }
}

std::string small_sweep(int replications) {
  return "base: " + (source_dir() / "scenarios/baseline.yaml").string() +
         "\nset:\n  run.days: 30\n  community.households: 300\n"
         "  community.households_per_grid: 100\nreplications: " +
         std::to_string(replications) +
         "\ndesign: list\npoints:\n  - {staffing.full_time_per_10k: 18}\n";
}

TEST(Progress, SweepWithoutATerminalWritesPeriodicLines) {
  TempDir dir;
  write_file(dir / "s.yaml", small_sweep(6));
  const auto r = run_commsim({"sweep", (dir / "s.yaml").string(), "-o", (dir / "s.h5").string(),
                              "--threads", "1", "--progress-every", "0.001"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_progress_to(progress_lines(r.err, "runs"), 6);
  const auto quiet = run_commsim({"sweep", (dir / "s.yaml").string(), "-o", (dir / "q.h5").string(),
                                  "--progress-every", "0.001", "-q"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
}

TEST(Progress, UnderMpirunRankZeroReportsForTheWholeJob) {
  if (!mpirun_available()) {
    if (std::getenv("CI") != nullptr) FAIL() << "mpirun not available under CI";
    GTEST_SKIP() << "mpirun not available";
  }
  TempDir dir;
  write_file(dir / "s.yaml", small_sweep(6));
  const std::string cmd = "cd " + dir.path().string() + " && " + mpirun_prefix(3, 120) +
                          COMMSIM_BIN +
                          " sweep s.yaml -o s.h5 --progress-every 0.001 > out.log 2> err.log";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "err.log");
  // Every line counts the job's 6 runs and the count never goes back: one rank reports, for all
  // (lines of several ranks, each counting its own runs, would interleave).
  expect_progress_to(progress_lines(read_file(dir / "err.log"), "runs"), 6);
}

TEST(Progress, DurationsReadAsSecondsMinutesOrHours) {
  EXPECT_EQ(cli::format_duration(3.24), "3.2s");
  EXPECT_EQ(cli::format_duration(245), "4m05s");
  EXPECT_EQ(cli::format_duration(2 * 3600 + 7 * 60 + 10), "2h07m");
}

}  // namespace
}  // namespace commsim::test
