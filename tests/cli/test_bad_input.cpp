// Bad input through the command: each finding of the hardening review (issue #14) exits with
// code 2 and a message naming the file, line and key, from `validate`, `run` and
// `sweep --dry-run` alike, before any work (no output file is written).

#include <gtest/gtest.h>

#include "sim/scenario/estimate.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

struct Case {
  std::vector<std::string> set;  // --set overrides of the baseline
  std::string message;           // part of the error message
};

const std::vector<Case> kCases = {
    {{"casework.types[0].name=nobody"},
     "--set casework.types[0].name=nobody:1:1: casework.types[0].name: unknown need type"},
    {{"volunteers.teams[1].task_types[0]=elder_care"},
     "volunteers.teams[1].task_types[0]: unknown need type 'elder_care' (did you mean "
     "'elderly_care'?)"},
    {{"staffing.languages[0].group=Mongl"}, "unknown group 'Mongl' (did you mean 'Mongol'?)"},
    {{"staffing.languages[1].group=Hui"}, "staffing.languages[1].group: group 'Hui' given twice"},
    {{"staffing.patrol_hours=24"}, "staffing.patrol_hours: patrol, paperwork and training hours"},
    {{"staffing.part_time_hours=17", "staffing.part_time_patrol_share=0"},
     "staffing.part_time_hours: a part-time worker's day (17 h)"},
    {{"community.groups[99999999999999999999].share=1"}, "index out of range"},
    {{"run.days=0x10"}, "run.days: expected an integer"},
    {{"extends=scenarios/baseline.yaml"}, "extends: a base scenario cannot be set here"},
    // A list's elements have the range of a scalar key (a share above 1 was accepted).
    {{"casework.on_the_spot.0=1.9"},
     "--set casework.on_the_spot.0=1.9:1:1: casework.on_the_spot[0]: expected a number in [0, 1], "
     "got '1.9'"},
    {{"casework.department_response_by_kind=[0.3, 0.3, 2]"},
     "casework.department_response_by_kind[2]: expected a number in [0, 1], got '2'"},
    {{"community.household_size_weights[1]=-0.4"},
     "community.household_size_weights[1]: expected a number in [0, 1e+06], got '-0.4'"},
};

std::vector<std::string> with_sets(std::vector<std::string> args, const Case& c) {
  for (const auto& s : c.set) {
    args.push_back("--set");
    args.push_back(s);
  }
  return args;
}

TEST(BadInput, ValidateAndRunExitWith2BeforeAnyWork) {
  TempDir dir;
  for (const auto& c : kCases) {
    const auto v = run_commsim(with_sets({"validate", "scenarios/baseline.yaml"}, c));
    EXPECT_EQ(v.exit_code, 2) << c.set[0] << "\n" << v.err;
    EXPECT_NE(v.err.find(c.message), std::string::npos) << v.err;
    const auto out = dir / "x.h5";
    const auto r = run_commsim(
        with_sets({"run", "scenarios/baseline.yaml", "-o", out.string(), "--quiet"}, c));
    EXPECT_EQ(r.exit_code, 2) << c.set[0] << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << c.set[0];
  }
}

TEST(BadInput, SweepDryRunChecksEveryPointLikeRun) {
  TempDir dir;
  write_file(dir / "base.yaml", "casework:\n  types:\n    - {name: parkng, mean_hours: 1}\n");
  write_file(dir / "sweep.yaml", "base: base.yaml\ndesign: grid\nparameters: {run.days: [1, 2]}\n");
  const auto bad_base = run_commsim({"sweep", (dir / "sweep.yaml").string(), "--dry-run"});
  EXPECT_EQ(bad_base.exit_code, 2) << bad_base.err;
  EXPECT_NE(bad_base.err.find("base.yaml:3:"), std::string::npos) << bad_base.err;
  EXPECT_NE(bad_base.err.find("casework.types[0].name: unknown need type 'parkng' (did you mean "
                              "'parking'?)"),
            std::string::npos)
      << bad_base.err;
  write_file(dir / "base.yaml", "run: {days: 3}\n");
  write_file(dir / "sweep.yaml",
             "base: base.yaml\ndesign: grid\nparameters:\n  staffing.patrol_hours: [2, 6]\n");
  const auto bad_point = run_commsim({"sweep", (dir / "sweep.yaml").string(), "--dry-run"});
  EXPECT_EQ(bad_point.exit_code, 2) << bad_point.err;
  EXPECT_NE(bad_point.err.find("sweep.yaml:4:"), std::string::npos) << bad_point.err;
  EXPECT_NE(bad_point.err.find("staffing.patrol_hours"), std::string::npos) << bad_point.err;
}

TEST(BadInput, AFolderAsTheScenarioIsExit2) {
  TempDir dir;
  for (const std::string cmd : {"validate", "run"}) {
    std::vector<std::string> args = {cmd, "scenarios"};
    if (cmd == "run") args.insert(args.end(), {"-o", (dir / "x.h5").string(), "--quiet"});
    const auto r = run_commsim(args);
    EXPECT_EQ(r.exit_code, 2) << cmd << "\n" << r.err;
    EXPECT_NE(r.err.find("scenarios: is a folder"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

TEST(BadInput, ALongExtendsNameIsExit2AtItsLine) {
  TempDir dir;
  write_file(dir / "a.yaml", "run: {days: 2}\nextends: " + std::string(300, 'b') + ".yaml\n");
  const auto r = run_commsim({"validate", (dir / "a.yaml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a.yaml:2:10: extends: cannot use"), std::string::npos) << r.err;
}

TEST(BadInput, ValidatePrintsTheEstimateAndRunRefusesTooMuchMemory) {
  const auto v = run_commsim({"validate", "scenarios/baseline.yaml"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("estimate: "), std::string::npos) << v.out;
  EXPECT_NE(v.out.find(" MB of memory"), std::string::npos) << v.out;
  TempDir dir;
  const auto out = dir / "x.h5";
  const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", out.string(), "--quiet",
                              "--set", "community.households=10000000", "--set",
                              "community.households_per_grid=20", "--max-memory", "64G"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("community.households: the run needs about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than the limit of 64 GB"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  // The default limit is the machine's available memory.
  const auto d =
      run_commsim({"validate", "scenarios/baseline.yaml", "--set", "community.households=10000000",
                   "--set", "community.households_per_grid=20"});
  EXPECT_EQ(d.exit_code, 2) << d.err;
  EXPECT_EQ(run_commsim({"validate", "scenarios/baseline.yaml", "--max-memory", "lots"}).exit_code,
            2);
  const auto small = run_commsim({"validate", "scenarios/baseline.yaml", "--max-memory", "1M"});
  EXPECT_EQ(small.exit_code, 2);
  EXPECT_NE(small.err.find("more than the limit of 1.0 MB"), std::string::npos) << small.err;
}

TEST(BadInput, ALongRunIsWarnedOf) {
  const auto v =
      run_commsim({"validate", "scenarios/baseline.yaml", "--set", "councils.calendar=daily",
                   "--set", "councils.seats=10000000", "--set", "deliberation.rounds=100000",
                   "--set", "topics.per_meeting=100"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.err.find("warning: the run is estimated to take about"), std::string::npos) << v.err;
}

// Issue #14: an lhs of a million samples spent ~47 minutes and 8 GB planning before the first
// run; the plan's size is checked first.
TEST(BadInput, AnOversizedSweepIsRefusedBeforePlanning) {
  TempDir dir;
  write_file(dir / "base.yaml", "run: {days: 3}\n");
  write_file(dir / "lhs.yaml",
             "base: base.yaml\ndesign: lhs\nsamples: 1000000\n"
             "parameters:\n  staffing.burden_reduction: {min: 0, max: 0.7}\n");
  const auto lhs = run_commsim({"sweep", (dir / "lhs.yaml").string(), "--dry-run"});
  EXPECT_EQ(lhs.exit_code, 2) << lhs.err;
  EXPECT_NE(lhs.err.find("lhs.yaml:3:10: samples: the design has 1000000 points, more than the "
                         "100000"),
            std::string::npos)
      << lhs.err;
  write_file(dir / "grid.yaml",
             "base: base.yaml\ndesign: grid\nparameters:\n"
             "  run.days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
             "  staffing.skill: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n"
             "  staffing.skill_spread: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n"
             "  staffing.part_time_skill: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n"
             "  wellbeing.initial: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]\n");
  const auto grid = run_commsim({"sweep", (dir / "grid.yaml").string(), "--dry-run"});
  EXPECT_EQ(grid.exit_code, 2) << grid.err;
  EXPECT_NE(grid.err.find("parameters: the design has 110000"), std::string::npos) << grid.err;
}

// Issue #14: `sweep` had no memory check. Its runs side by side (one per thread) must fit in
// --max-memory before the first run: the largest point's estimate, once per run at once.
TEST(BadInput, ASweepWhoseRunsAtOnceExceedTheMemoryIsRefused) {
  TempDir dir;
  write_file(dir / "base.yaml", "run: {days: 3}\n");
  write_file(dir / "s.yaml",
             "base: base.yaml\ndesign: list\nreplications: 4\npoints:\n"
             "  - {community.households: 100}\n  - {community.households: 5025}\n");
  // A limit between what one and two runs of the larger point need.
  const auto largest = scenario::estimate_resources(
      scenario::load_scenario_text("run: {days: 3}\n", "b.yaml", {"community.households=5025"})
          .scenario);
  const double limit = scenario::memory_at_once(largest, 1.5);
  const std::string max = std::to_string(static_cast<long long>(limit));
  const std::string sweep = (dir / "s.yaml").string();

  const auto one =
      run_commsim({"sweep", sweep, "--dry-run", "--threads", "1", "--max-memory", max});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("estimate: about"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("1 run at once (threads)"), std::string::npos) << one.out;

  const auto two =
      run_commsim({"sweep", sweep, "--dry-run", "--threads", "2", "--max-memory", max});
  EXPECT_EQ(two.exit_code, 2) << two.err;
  EXPECT_NE(two.err.find("s.yaml: the sweep needs about"), std::string::npos) << two.err;
  EXPECT_NE(two.err.find("2 runs at once (threads) x"), std::string::npos) << two.err;
  EXPECT_NE(two.err.find("(point 1, "), std::string::npos) << two.err;
  EXPECT_NE(two.err.find("more than the limit of " + scenario::format_bytes(limit)),
            std::string::npos)
      << two.err;

  // The same refusal before any work when running: no results file, no folder of runs.
  const auto out = dir / "o.h5";
  const auto run = run_commsim(
      {"sweep", sweep, "-o", out.string(), "-q", "--threads", "2", "--max-memory", max});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("the sweep needs about"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5.partial"));
  // At most one run per run of the sweep: 8 runs on 64 threads are 8 at once, not 64.
  const auto many = run_commsim({"sweep", sweep, "--dry-run", "--threads", "64"});
  EXPECT_EQ(many.exit_code, 0) << many.err;
  EXPECT_NE(many.out.find("8 runs at once"), std::string::npos) << many.out;
  EXPECT_EQ(run_commsim({"sweep", sweep, "--dry-run", "--max-memory", "lots"}).exit_code, 2);
}

}  // namespace
}  // namespace commsim::test
