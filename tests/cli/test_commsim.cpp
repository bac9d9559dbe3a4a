// End-to-end tests of the commsim command: exit codes, error messages, determinism across
// thread counts, the written file, and no half-written file after a kill.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

TEST(Commsim, HelpAndUnknownCommand) {
  EXPECT_EQ(run_commsim({"--help"}).exit_code, 0);
  const auto run_help = run_commsim({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_NE(run_help.out.find("--threads"), std::string::npos);
  const auto bad = run_commsim({"frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(Commsim, ValidateAcceptsTheBaseline) {
  const auto r = run_commsim({"validate", "scenarios/baseline.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("valid"), std::string::npos);
}

TEST(Commsim, BadScenarioExitsWithCode2AndNamesThePlace) {
  TempDir dir;
  write_file(dir / "bad.yaml", "community:\n  housholds: 10\n");
  const auto r = run_commsim({"validate", (dir / "bad.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.err.find("bad.yaml:2:3: community.housholds: unknown key (did you mean 'households'?)"),
      std::string::npos)
      << r.err;
}

TEST(Commsim, BadSetAndBadOptionsExitWithCode2) {
  TempDir dir;
  EXPECT_EQ(run_commsim({"validate", "scenarios/baseline.yaml", "--set", "run.days=-3"}).exit_code,
            2);
  EXPECT_EQ(run_commsim({"run", "scenarios/baseline.yaml"}).exit_code, 2) << "missing -o";
  EXPECT_EQ(run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "x.h5").string(),
                         "--threads", "two"})
                .exit_code,
            2);
  EXPECT_EQ(
      run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "x.h5").string(), "--bogus"})
          .exit_code,
      2);
  EXPECT_EQ(run_commsim({"run", "scenarios/nothing.yaml", "-o", (dir / "x.h5").string()}).exit_code,
            2);
  EXPECT_EQ(run_commsim({"run", "scenarios/baseline.yaml", "-o", "/no/such/folder/x.h5"}).exit_code,
            2);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

TEST(Commsim, SchemaPrintsMarkdownAndJson) {
  const auto md = run_commsim({"schema"});
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_NE(md.out.find("| `community.households` | integer | `5025` |"), std::string::npos);
  const auto js = run_commsim({"schema", "--json"});
  EXPECT_EQ(js.exit_code, 0);
  EXPECT_EQ(js.out.rfind("{\"$schema\"", 0), 0u);
}

// The baseline for 60 days on 1, 2 and 4 threads gives bitwise-identical datasets.
TEST(Determinism, BaselineIsIdenticalOnOneTwoAndFourThreads) {
  TempDir dir;
  std::vector<RunFile> runs;
  for (const char* threads : {"1", "2", "4"}) {
    const auto out = dir / (std::string("t") + threads + ".h5");
    const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", out.string(), "--days",
                                "60", "--threads", threads, "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    runs.push_back(read_run_file(out));
    EXPECT_EQ(runs.back().provenance.threads, std::stoi(threads));
  }
  ASSERT_FALSE(runs[0].result.timeseries.empty());
  EXPECT_TRUE(same_datasets(runs[0].result, runs[1].result));
  EXPECT_TRUE(same_datasets(runs[0].result, runs[2].result));
  EXPECT_EQ(runs[0].provenance.scenario_resolved, runs[2].provenance.scenario_resolved);
}

TEST(Determinism, AnotherSeedGivesOtherResults) {
  TempDir dir;
  ASSERT_EQ(run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "a.h5").string(), "--days",
                         "20", "--quiet"})
                .exit_code,
            0);
  ASSERT_EQ(run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "b.h5").string(), "--days",
                         "20", "--seed", "77", "--quiet"})
                .exit_code,
            0);
  EXPECT_FALSE(
      same_datasets(read_run_file(dir / "a.h5").result, read_run_file(dir / "b.h5").result));
}

TEST(Commsim, RunWritesProvenanceAndSummary) {
  TempDir dir;
  const auto out = dir / "run.h5";
  const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", out.string(), "--days", "10",
                              "--set", "community.households=1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("resident-days/s"), std::string::npos) << r.out;
  const RunFile f = read_run_file(out);
  EXPECT_EQ(f.result.days, 10);
  EXPECT_EQ(f.provenance.seed, 20241u);  // scenarios/baseline.yaml run.seed
  EXPECT_NE(f.provenance.scenario_text.find("Jinhuayuan"), std::string::npos);
  EXPECT_NE(f.provenance.scenario_resolved.find("households: 1000"), std::string::npos);
  EXPECT_NE(f.provenance.scenario_resolved.find("households_per_grid: 420"), std::string::npos);
  ASSERT_EQ(f.provenance.overrides.size(), 2u);
  EXPECT_EQ(f.provenance.overrides[0], "community.households=1000");
  EXPECT_NE(f.provenance.libraries.find("HDF5"), std::string::npos);
  double households = 0;
  for (const auto& m : f.result.summaries)
    if (m.name == "households")
      for (double v : m.values) households += v;
  EXPECT_EQ(households, 1000);
  // Nothing else is left in the folder: no temporary file.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(Commsim, KilledRunLeavesNoFile) {
  TempDir dir;
  const auto out = dir / "killed.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (chdir(COMMSIM_SOURCE_DIR) != 0) _exit(127);
    std::freopen("/dev/null", "w", stdout);
    execl(COMMSIM_BIN, COMMSIM_BIN, "run", "scenarios/baseline.yaml", "-o", out.c_str(), "--days",
          "36500", "--quiet", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    ADD_FAILURE() << "left behind: " << e.path();
}

}  // namespace
}  // namespace commsim::test

namespace commsim::test {
namespace {

// docs/scenario.md is generated by `commsim schema`; this keeps it from drifting from the code.
TEST(Commsim, ScenarioReferenceInDocsIsCurrent) {
  const auto r = run_commsim({"schema"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(read_file(source_dir() / "docs/scenario.md"), r.out)
      << "regenerate it: build/release/commsim schema > docs/scenario.md";
}

}  // namespace
}  // namespace commsim::test

namespace commsim::test {
namespace {

TEST(Commsim, ProfilePrintsEachPhaseOfTheDay) {
  TempDir dir;
  const auto r = run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "p.h5").string(),
                              "--days", "5", "--quiet", "--profile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("phase grid"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("phase record"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << "--quiet keeps stdout empty";
}

}  // namespace
}  // namespace commsim::test
