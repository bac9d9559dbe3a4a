// Bad input through the command: each finding of the hardening review (issue #14) exits with
// code 2 and a message naming the file, line and key, from `validate`, `run` and
// `sweep --dry-run` alike, before any work (no output file is written).

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace commsim::test
