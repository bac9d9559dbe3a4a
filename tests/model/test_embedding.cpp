// Residential embedding: with relocation isolated, two groups, ~10% vacancies and a wanted
// same-group share of 30%, the module is Schelling's model: households sort well above the wanted
// share; lower thresholds sort less; mixing allocation keeps segregation lower than free choice.
// Moves keep the layout valid (vacancies conserved, group labels consistent).

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/model/embedding.hpp"
#include "sim/model/needs.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::model {
namespace {

const char* kSchelling = R"(
run: {days: 60}
community:
  households: 3000
  households_per_grid: 500
  groups:
    - {name: A, share: 0.5}
    - {name: B, share: 0.5}
staffing: {languages: []}
embedding:
  initial_vacancy: 0.1
  move_out_rate: 0
  move_in_rate: 0
  relocation_rate: 100000
)";

struct World {
  scenario::Scenario s;
  population::Population pop;
  output::Recorder recorder;
  SocialState social;
  ResidentState residents;
  Embedding embedding;
  explicit World(const std::string& yaml, const std::vector<std::string>& overrides = {})
      : s(scenario::load_scenario_text(yaml, "s.yaml", overrides).scenario),
        pop(population::build_population(s.community, {3, 0})),
        recorder(pop.grids(), s.run.days),
        social(s, pop, {3, 0}),
        embedding(s, pop, recorder, {3, 0}) {
    residents.resize(pop.residents(), 0.5f);
    recorder.start();
  }
  void run(int days) {
    for (int d = 0; d < days; ++d) {
      embedding.run(pop, Day(d), {3, 0}, social, residents, recorder.community_row());
      recorder.end_day(Day(d));
    }
  }
};

TEST(Embedding, NeighbourhoodIsSymmetricMooreLatticeWithinBuildings) {
  World w(kSchelling);
  std::size_t max = 0;
  for (std::uint32_t h = 0; h < w.pop.households(); ++h) {
    const auto n = w.embedding.neighbours(h);
    max = std::max(max, n.size());
    for (auto k : n) {
      EXPECT_NE(k, h);
      EXPECT_EQ(w.pop.stairwell_building[w.pop.household_stairwell[k]],
                w.pop.stairwell_building[w.pop.household_stairwell[h]]);
      const auto back = w.embedding.neighbours(k);
      EXPECT_NE(std::find(back.begin(), back.end(), h), back.end()) << h << " " << k;
    }
  }
  EXPECT_EQ(max, 8u);
}

TEST(Embedding, SchellingSortsWellAboveTheWantedShare) {
  World w(kSchelling);
  const double before = w.embedding.mean_same_group_share(w.pop);
  const double d_before = w.embedding.dissimilarity(w.pop);
  EXPECT_NEAR(before, 0.5, 0.03);  // random placement of two equal groups
  const std::size_t vacancies = w.embedding.vacancies();
  w.run(60);
  const double after = w.embedding.mean_same_group_share(w.pop);
  EXPECT_GT(after, 0.7);
  RecordProperty("same_group_share_after", std::to_string(after));
  EXPECT_GT(w.embedding.dissimilarity(w.pop), d_before + 0.2);
  // Moves conserve dwellings and households; residents carry their household's group.
  EXPECT_EQ(w.embedding.vacancies(), vacancies);
  EXPECT_EQ(std::count(w.pop.household_vacant.begin(), w.pop.household_vacant.end(), 1),
            static_cast<std::ptrdiff_t>(vacancies));
  for (std::uint32_t r = 0; r < w.pop.residents(); ++r)
    if (!w.pop.resident_vacant(r)) {
      ASSERT_EQ(w.pop.resident_group[r], w.pop.household_group[w.pop.resident_household[r]]);
    }
}

TEST(Embedding, LowerThresholdsSortLess) {
  double previous = 0;
  for (const char* threshold : {"0.1", "0.25", "0.4"}) {
    World w(kSchelling, {std::string("embedding.homophily_threshold=") + threshold});
    w.run(60);
    const double share = w.embedding.mean_same_group_share(w.pop);
    EXPECT_GT(share, previous + 0.03) << "threshold " << threshold;
    previous = share;
  }
}

// Turnover with occasional relocation: newcomers placed by the allocation rule, and households
// unhappy with their neighbours asking to move about once a year.
TEST(Embedding, MixingAllocationKeepsSegregationBelowFreeChoice) {
  const std::vector<std::string> churn = {"embedding.move_out_rate=0.3",
                                          "embedding.move_in_rate=10",
                                          "embedding.relocation_rate=1", "run.days=365"};
  auto with_mixing = churn;
  with_mixing.push_back("embedding.allocation=mixing");
  World free_choice(kSchelling, churn);
  World mixing(kSchelling, with_mixing);
  const double start = free_choice.embedding.dissimilarity(free_choice.pop);
  free_choice.run(365);
  mixing.run(365);
  const double d_free = free_choice.embedding.dissimilarity(free_choice.pop);
  const double d_mix = mixing.embedding.dissimilarity(mixing.pop);
  EXPECT_GT(d_free, start + 0.05);
  EXPECT_LT(d_mix, d_free - 0.05);
  EXPECT_LT(mixing.embedding.mean_same_group_share(mixing.pop),
            free_choice.embedding.mean_same_group_share(free_choice.pop) - 0.05);
  RecordProperty("dissimilarity_free_choice", std::to_string(d_free));
  RecordProperty("dissimilarity_mixing", std::to_string(d_mix));
}

TEST(Embedding, MigrationFlowsBalanceAtTheExpectedVacancyShare) {
  World w(kSchelling, {"embedding.relocation_rate=0", "embedding.move_out_rate=2",
                       "embedding.move_in_rate=18", "run.days=400"});
  w.run(400);
  // Stationary vacancy share of a two-state chain: out / (out + in) = 2 / 20.
  const double share = static_cast<double>(w.embedding.vacancies()) / w.pop.households();
  EXPECT_NEAR(share, 0.1, 0.03);
}

TEST(Embedding, VacantDwellingsHaveNoHouseholdNeeds) {
  World w(kSchelling, {"embedding.initial_vacancy=0.5"});
  output::Recorder recorder(w.pop.grids(), 1);
  const NeedArrival needs(w.s.needs, w.pop, recorder);
  recorder.start();
  std::vector<GridNeeds> logs(w.pop.grids());
  for (int d = 0; d < 200; ++d)
    for (std::uint32_t g = 0; g < w.pop.grids(); ++g)
      needs.arise(w.pop, GridId(g), Day(d), {3, 0}, logs[g], recorder.grid_row(GridId(g)));
  std::size_t household_needs = 0;
  for (const auto& log : logs)
    for (const auto& n : log.log) {
      const auto scope = w.s.needs.types[n.type].scope;
      if (scope == scenario::NeedScope::Household || scope == scenario::NeedScope::Resident) {
        ++household_needs;
        EXPECT_FALSE(w.pop.resident_vacant(n.resident));
      }
    }
  EXPECT_GT(household_needs, 0u);
}

}  // namespace
}  // namespace commsim::model
