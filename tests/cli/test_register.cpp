// `commsim register` and community.register end to end: a scenario's community written as a
// register runs; the register example runs the same on 1 and 2 threads, with its grids' names
// and its bytes in the provenance; a bad register is exit code 2 from validate and run, with its
// place, and leaves no file behind.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

TEST(RegisterCommand, WritesACommunityThatARegisterScenarioBuildsAgain) {
  TempDir dir;
  const auto csv = dir / "households.csv";
  const auto w = run_commsim({"register", "scenarios/baseline.yaml", "-o", csv.string(), "--set",
                              "community.households=900", "--seed", "5"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_NE(w.out.find("900 households"), std::string::npos) << w.out;
  const std::string text = read_file(csv);
  EXPECT_EQ(text.rfind("household,grid,building,stairwell,floor,group,ages,", 0), 0u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 901);
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename(), "households.csv");  // no temporary left

  const auto yaml = dir / "s.yaml";
  write_file(yaml, "extends: " + (source_dir() / "scenarios/baseline.yaml").string() +
                       "\ncommunity:\n  register: households.csv\n");
  const auto v = run_commsim({"validate", yaml.string()});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("valid (900 households"), std::string::npos) << v.out;
  // Written again from the register scenario, the register is the same text.
  const auto again = dir / "again.csv";
  ASSERT_EQ(run_commsim({"register", yaml.string(), "-o", again.string(), "--seed", "6"}).exit_code,
            0);
  EXPECT_EQ(read_file(again), text);
  // A missing folder is bad input.
  const auto bad = run_commsim({"register", yaml.string(), "-o", (dir / "no/x.csv").string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

// The null model of the register: the baseline's community written as a register and run from it
// is the baseline run, bit for bit (every dataset), once both start with the same vacancies (a
// register's households all live there unless embedding.initial_vacancy is given). The baseline's
// groups share their digital access and income inputs, so the draws a register keeps in place of
// the builder's (drawn on the side of each given flag) are never read.
TEST(RegisterCommand, TheBaselineFromItsOwnRegisterIsTheBaselineRun) {
  TempDir dir;
  ASSERT_EQ(run_commsim({"register", "scenarios/baseline.yaml", "-o", (dir / "b.csv").string()})
                .exit_code,
            0);
  write_file(dir / "r.yaml", "extends: " + (source_dir() / "scenarios/baseline.yaml").string() +
                                 "\ncommunity:\n  register: b.csv\n");
  const std::vector<std::string> common = {"--days", "30", "--quiet", "--set",
                                           "embedding.initial_vacancy=0.01"};
  auto args = [&](const std::string& scenario, const std::string& out) {
    std::vector<std::string> a = {"run", scenario, "-o", (dir / out).string()};
    a.insert(a.end(), common.begin(), common.end());
    return a;
  };
  ASSERT_EQ(run_commsim(args("scenarios/baseline.yaml", "s.h5")).exit_code, 0);
  ASSERT_EQ(run_commsim(args((dir / "r.yaml").string(), "r.h5")).exit_code, 0);
  const auto synthetic = read_run_file(dir / "s.h5"), registered = read_run_file(dir / "r.h5");
  EXPECT_TRUE(same_datasets(synthetic.result, registered.result));
  // And not by accident: other vacancies give another run.
  auto other = args((dir / "r.yaml").string(), "o.h5");
  other.back() = "embedding.initial_vacancy=0.02";
  ASSERT_EQ(run_commsim(other).exit_code, 0);
  EXPECT_FALSE(same_datasets(synthetic.result, read_run_file(dir / "o.h5").result));
}

TEST(RegisterCommand, TheRegisterExampleRunsTheSameOnOneAndTwoThreadsAndRecordsItsRegister) {
  TempDir dir;
  std::vector<RunFile> runs;
  for (const char* threads : {"1", "2"}) {
    const auto out = dir / (std::string("t") + threads + ".h5");
    const auto r = run_commsim({"run", "scenarios/register_example.yaml", "-o", out.string(),
                                "--days", "60", "--threads", threads, "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    runs.push_back(read_run_file(out));
  }
  EXPECT_TRUE(same_datasets(runs[0].result, runs[1].result));
  const auto& p = runs[0].provenance;
  EXPECT_EQ(p.register_file, "scenarios/registers/example_households.csv");
  EXPECT_EQ(p.register_text, read_file(source_dir() / p.register_file));
  EXPECT_EQ(p.register_digest.size(), 16u);
  const auto& households = find_metric(runs[0].result.summaries, "grid_households");
  ASSERT_EQ(households.dims.size(), 1u);
  EXPECT_EQ(households.dims[0].labels, (std::vector<std::string>{"North", "Centre", "South"}));
  double total = 0;
  for (double v : households.values) total += v;
  EXPECT_EQ(total, 360);
}

TEST(RegisterCommand, ABadRegisterIsExitCodeTwoWithItsPlaceFromValidateAndRun) {
  TempDir dir;
  write_file(dir / "h.csv", "household,building,group,ages\nh1,B1,Han,40\nh2,B1,Han,40;abc\n");
  write_file(dir / "s.yaml", "community:\n  register: h.csv\n");
  const std::string where = (dir / "h.csv").string() + ":3:11: community.register: household " +
                            "'h2', column 'ages': 'abc' is not an age";
  const auto v = run_commsim({"validate", (dir / "s.yaml").string()});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find(where), std::string::npos) << v.err;
  const auto out = dir / "out.h5";
  const auto r = run_commsim({"run", (dir / "s.yaml").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

}  // namespace
}  // namespace commsim::test
