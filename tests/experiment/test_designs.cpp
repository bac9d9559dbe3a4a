// Experimental designs: full factorial counts and order, Latin hypercube stratification, the
// Saltelli block structure, and the sweep file expanded into points.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/core/random.hpp"
#include "sim/experiment/design.hpp"
#include "sim/experiment/sweep_plan.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

using experiment::full_factorial;
using experiment::latin_hypercube;

std::string base_path() {
  return (source_dir() / "scenarios" / "baseline.yaml").string();
}

TEST(Designs, FullFactorialHasEveryCombinationOnceLastFastest) {
  const auto rows = full_factorial({2, 3, 4});
  ASSERT_EQ(rows.size(), 24u);
  std::set<std::vector<std::size_t>> distinct(rows.begin(), rows.end());
  EXPECT_EQ(distinct.size(), 24u);
  EXPECT_EQ(rows[1], (std::vector<std::size_t>{0, 0, 1}));
  EXPECT_EQ(rows[4], (std::vector<std::size_t>{0, 1, 0}));
  EXPECT_EQ(rows.back(), (std::vector<std::size_t>{1, 2, 3}));
}

TEST(Designs, LatinHypercubePutsOneRowInEveryStratumOfEveryColumn) {
  const std::size_t n = 37, k = 4;
  const auto rows = latin_hypercube(n, k, 11);
  ASSERT_EQ(rows.size(), n);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<int> hits(n, 0);
    for (const auto& r : rows) {
      ASSERT_GE(r[j], 0.0);
      ASSERT_LT(r[j], 1.0);
      ++hits[static_cast<std::size_t>(std::floor(r[j] * n))];
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }))
        << "column " << j;
  }
  EXPECT_EQ(latin_hypercube(n, k, 11), rows) << "a design is a pure function of its seed";
  EXPECT_NE(latin_hypercube(n, k, 12), rows);
  // The columns are paired by independent permutations, not all in the same order.
  std::size_t same_order = 0;
  for (std::size_t i = 0; i < n; ++i)
    same_order += std::floor(rows[i][0] * n) == std::floor(rows[i][1] * n);
  EXPECT_LT(same_order, n / 2);
}

TEST(Designs, SaltelliBaseIsStratifiedAndAIndependentOfB) {
  const std::size_t n = 256, k = 3;
  const auto base = experiment::saltelli_base(n, k, 5);
  for (std::size_t j = 0; j < k; ++j) {
    double sum_a = 0, sum_b = 0, cross = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sum_a += base.a[i][j];
      sum_b += base.b[i][j];
      cross += (base.a[i][j] - 0.5) * (base.b[i][j] - 0.5);
    }
    // Stratified: the mean is within 1/(2n) of 0.5, far tighter than plain Monte Carlo's
    // standard error 1/sqrt(12 n) = 0.018.
    EXPECT_NEAR(sum_a / n, 0.5, 0.5 / n);
    EXPECT_NEAR(sum_b / n, 0.5, 0.5 / n);
    // A and B independent: 12 * mean of the centred product has sd 1/sqrt(n); 4 sd.
    EXPECT_NEAR(12 * cross / n, 0.0, 4.0 / std::sqrt(static_cast<double>(n)))
        << "A and B columns uncorrelated";
    EXPECT_NE(base.a[0], base.b[0]);
  }
}

TEST(Designs, SaltelliSweepHasNTimesKPlus2PointsInBlocks) {
  TempDir dir;
  write_file(dir / "s.yaml", "base: " + base_path() +
                                 "\ndesign: saltelli\nsamples: 8\nparameters:\n"
                                 "  community.low_income_share: {min: 0.0, max: 0.3}\n"
                                 "  community.households_per_grid: {min: 100, max: 400}\n"
                                 "  needs.types.0.rate: {min: 0.01, max: 0.2}\n");
  const auto plan = experiment::load_sweep(dir / "s.yaml");
  const std::size_t n = 8, k = 3;
  ASSERT_EQ(plan.points.size(), n * (k + 2));
  for (std::size_t block = 0; block < k + 2; ++block)
    for (std::size_t row = 0; row < n; ++row) {
      const auto& p = plan.points[block * n + row];
      EXPECT_EQ(p.saltelli_block, static_cast<std::int64_t>(block));
      EXPECT_EQ(p.saltelli_row, static_cast<std::int64_t>(row));
      const auto& a = plan.points[row].columns;
      const auto& b = plan.points[n + row].columns;
      if (block < 2) continue;
      for (std::size_t j = 0; j < k; ++j)
        EXPECT_EQ(p.columns[j], j == block - 2 ? b[j] : a[j]) << "AB_" << block - 2 << " col " << j;
    }
  for (const auto& p : plan.points) {
    EXPECT_GE(p.columns[1], 100);
    EXPECT_LE(p.columns[1], 400);
    EXPECT_EQ(p.columns[1], std::floor(p.columns[1])) << "an integer key gets integers";
    EXPECT_EQ(plan.scenarios[&p - plan.points.data()].community.households_per_grid,
              static_cast<std::int64_t>(p.columns[1]));
  }
}

TEST(Designs, GridAndListSweepsExpandToTheirPoints) {
  TempDir dir;
  write_file(dir / "g.yaml", "base: " + base_path() +
                                 "\nreplications: 3\ndesign: grid\nparameters:\n"
                                 "  community.low_income_share: [0.1, 0.2, 0.3]\n"
                                 "  community.name: [North, South]\n");
  const auto grid = experiment::load_sweep(dir / "g.yaml");
  EXPECT_EQ(grid.points.size(), 6u);
  EXPECT_EQ(grid.runs(), 18);
  EXPECT_FALSE(grid.parameters[1].numeric);
  EXPECT_EQ(grid.parameters[1].levels, (std::vector<std::string>{"North", "South"}));
  EXPECT_EQ(grid.points[3].columns, (std::vector<double>{0.2, 1}));
  EXPECT_EQ(grid.scenarios[3].community.name, "South");
  EXPECT_DOUBLE_EQ(grid.scenarios[3].community.low_income_share, 0.2);

  write_file(dir / "l.yaml", "base: " + base_path() +
                                 "\ndesign: list\npoints:\n"
                                 "  - {needs.types.1.rate: 0.5}\n"
                                 "  - {needs.types.1.rate: 0.7}\n");
  const auto list = experiment::load_sweep(dir / "l.yaml");
  ASSERT_EQ(list.points.size(), 2u);
  EXPECT_DOUBLE_EQ(list.scenarios[1].needs.types[1].rate, 0.7);
  EXPECT_NE(list.fingerprint, grid.fingerprint);
  EXPECT_EQ(experiment::load_sweep(dir / "l.yaml").fingerprint, list.fingerprint);
}

// A sweep's base may name a register, read relative to the file that names it; its bytes, not
// only its name, are part of the fingerprint (a register edited in place is another sweep for
// --resume). The register itself cannot be a parameter: the sweep's provenance records the base's.
TEST(Designs, ARegisterIsFingerprintedByItsBytesAndIsNoParameter) {
  TempDir dir;
  write_file(dir / "a.csv", "household,building,group,ages\nh1,B1,Han,40\nh2,B1,Hui,30\n");
  write_file(dir / "base.yaml", "extends: " + base_path() + "\ncommunity: {register: a.csv}\n");
  write_file(dir / "s.yaml",
             "base: base.yaml\ndesign: grid\nparameters:\n"
             "  community.low_income_share: [0.1, 0.2]\n");
  const auto plan = experiment::load_sweep(dir / "s.yaml");
  ASSERT_EQ(plan.scenarios.size(), 2u);
  EXPECT_EQ(plan.scenarios[1].community.households, 2);
  // Read once for both points.
  EXPECT_EQ(plan.scenarios[0].community.household_register,
            plan.scenarios[1].community.household_register);
  EXPECT_EQ(experiment::load_sweep(dir / "s.yaml").fingerprint, plan.fingerprint);
  write_file(dir / "a.csv", "household,building,group,ages\nh1,B1,Han,40\nh2,B1,Hui,31\n");
  EXPECT_NE(experiment::load_sweep(dir / "s.yaml").fingerprint, plan.fingerprint);
  // A count beside the register, from a point, must agree with it.
  write_file(dir / "n.yaml",
             "base: base.yaml\ndesign: grid\nparameters:\n"
             "  community.households: [2, 3]\n");
  EXPECT_THROW(experiment::load_sweep(dir / "n.yaml"), scenario::ScenarioError);
  write_file(dir / "r.yaml",
             "base: base.yaml\ndesign: grid\nparameters:\n"
             "  community.register: [a.csv]\n");
  EXPECT_THROW(experiment::load_sweep(dir / "r.yaml"), scenario::ScenarioError);
}

TEST(Designs, BaseScenarioFollowsItsExtendsChainRelativeToTheSweepFile) {
  TempDir dir;
  std::filesystem::create_directories(dir / "scen");
  write_file(dir / "scen" / "child.yaml",
             "extends: " + base_path() + "\ncommunity: {households: 900}\n");
  write_file(dir / "s.yaml",
             "base: scen/child.yaml\nset: {run.days: 12}\ndesign: grid\nparameters:\n"
             "  community.low_income_share: [0.1, 0.2]\n");
  const auto plan = experiment::load_sweep(dir / "s.yaml");
  for (const auto& s : plan.scenarios) {
    EXPECT_EQ(s.community.households, 900) << "from the child";
    EXPECT_EQ(s.community.households_per_grid, 420) << "from the baseline it extends";
    EXPECT_EQ(s.run.days, 12) << "from the sweep's set";
  }
  EXPECT_EQ(plan.seed, 20241u) << "default sweep seed: the base scenario's run.seed";
  EXPECT_NE(plan.base.resolved_yaml.find("households: 900"), std::string::npos);
}

TEST(Seeds, AreHashedFromSweepSeedReplicationAndForIndependentThePoint) {
  experiment::SweepPlan plan;
  plan.seed = 42;
  plan.seeds = experiment::SeedMode::Common;
  EXPECT_EQ(plan.seed_of(0, 1), plan.seed_of(7, 1)) << "common random numbers across points";
  EXPECT_NE(plan.seed_of(0, 0), plan.seed_of(0, 1));
  EXPECT_EQ(plan.seed_of(3, 2), derive_seed(42, 2));
  EXPECT_NE(plan.seed_of(0, 1), 43u) << "never seed + replication";
  experiment::SweepPlan other = plan;
  other.seed = 43;
  EXPECT_NE(other.seed_of(0, 0), plan.seed_of(0, 1)) << "(43, 0) and (42, 1) do not collide";
  plan.seeds = experiment::SeedMode::Independent;
  EXPECT_NE(plan.seed_of(0, 1), plan.seed_of(7, 1));
  EXPECT_EQ(plan.seed_of(7, 1), derive_seed(42, 1, 7));
}

}  // namespace
}  // namespace commsim::test
