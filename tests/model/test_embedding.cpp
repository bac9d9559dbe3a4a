// Residential embedding: with relocation isolated, two groups, ~10% vacancies and a wanted
// same-group share of 30%, the module is Schelling's model: households sort well above the wanted
// share; lower thresholds sort less; mixing allocation keeps segregation lower than free choice.
// Moves keep the layout valid (vacancies conserved, group labels consistent).

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "sim/model/embedding.hpp"
#include "sim/model/needs.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"
#include "support/tiny_community.hpp"

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
embedding:
  initial_vacancy: 0.1
  move_out_rate: 0
  move_in_rate: 0
  relocation_rate: 100000
)";

using test::TinyCommunity;

TinyCommunity world(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  test::TinyOptions options;
  // Groups A and B: no worker needs the baseline groups' languages.
  options.yaml = yaml + "staffing: {languages: []}\n";
  options.key = {3, 0};
  return test::tiny_community(overrides, options);
}

// Days of residential embedding alone (moves and relocation), as the community phase runs them.
void run(TinyCommunity& w, int days) {
  for (int d = 0; d < days; ++d) {
    w->embedding.run(w->pop, Day(d), w->key, w->social, w->residents, w->recorder.community_row());
    w->recorder.end_day(Day(d));
  }
}

TEST(Embedding, NeighbourhoodIsSymmetricMooreLatticeWithinBuildings) {
  auto w = world(kSchelling);
  std::size_t max = 0;
  for (std::uint32_t h = 0; h < w->pop.households(); ++h) {
    const auto n = w->embedding.neighbours(h);
    max = std::max(max, n.size());
    for (auto k : n) {
      EXPECT_NE(k, h);
      EXPECT_EQ(w->pop.stairwell_building[w->pop.household_stairwell[k]],
                w->pop.stairwell_building[w->pop.household_stairwell[h]]);
      const auto back = w->embedding.neighbours(k);
      EXPECT_NE(std::find(back.begin(), back.end(), h), back.end()) << h << " " << k;
    }
  }
  EXPECT_EQ(max, 8u);
}

TEST(Embedding, SchellingSortsWellAboveTheWantedShare) {
  auto w = world(kSchelling);
  const double before = w->embedding.mean_same_group_share(w->pop);
  const double d_before = w->embedding.dissimilarity(w->pop);
  EXPECT_NEAR(before, 0.5, 0.03);  // random placement of two equal groups
  const std::size_t vacancies = w->embedding.vacancies();
  run(w, 60);
  const double after = w->embedding.mean_same_group_share(w->pop);
  EXPECT_GT(after, 0.7);
  RecordProperty("same_group_share_after", std::to_string(after));
  EXPECT_GT(w->embedding.dissimilarity(w->pop), d_before + 0.2);
  // Moves conserve dwellings and households; residents carry their household's group.
  EXPECT_EQ(w->embedding.vacancies(), vacancies);
  EXPECT_EQ(std::count(w->pop.household_vacant.begin(), w->pop.household_vacant.end(), 1),
            static_cast<std::ptrdiff_t>(vacancies));
  for (std::uint32_t r = 0; r < w->pop.residents(); ++r)
    if (!w->pop.resident_vacant(r)) {
      ASSERT_EQ(w->pop.resident_group[r], w->pop.household_group[w->pop.resident_household[r]]);
    }
}

TEST(Embedding, LowerThresholdsSortLess) {
  double previous = 0;
  for (const char* threshold : {"0.1", "0.25", "0.4"}) {
    auto w = world(kSchelling, {std::string("embedding.homophily_threshold=") + threshold});
    run(w, 60);
    const double share = w->embedding.mean_same_group_share(w->pop);
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
  auto free_choice = world(kSchelling, churn);
  auto mixing = world(kSchelling, with_mixing);
  const double start = free_choice->embedding.dissimilarity(free_choice->pop);
  run(free_choice, 365);
  run(mixing, 365);
  const double d_free = free_choice->embedding.dissimilarity(free_choice->pop);
  const double d_mix = mixing->embedding.dissimilarity(mixing->pop);
  EXPECT_GT(d_free, start + 0.05);
  EXPECT_LT(d_mix, d_free - 0.05);
  EXPECT_LT(mixing->embedding.mean_same_group_share(mixing->pop),
            free_choice->embedding.mean_same_group_share(free_choice->pop) - 0.05);
  RecordProperty("dissimilarity_free_choice", std::to_string(d_free));
  RecordProperty("dissimilarity_mixing", std::to_string(d_mix));
}

TEST(Embedding, MigrationFlowsBalanceAtTheExpectedVacancyShare) {
  auto w = world(kSchelling, {"embedding.relocation_rate=0", "embedding.move_out_rate=2",
                              "embedding.move_in_rate=18", "run.days=400"});
  run(w, 400);
  // Stationary vacancy share of a two-state chain: out / (out + in) = 2 / 20.
  const double share = static_cast<double>(w->embedding.vacancies()) / w->pop.households();
  EXPECT_NEAR(share, 0.1, 0.03);
}

TEST(Embedding, VacantDwellingsHaveNoHouseholdNeeds) {
  auto w = world(kSchelling, {"embedding.initial_vacancy=0.5"});
  output::Recorder recorder(w->pop.grids(), 1);
  const NeedArrival needs(w.s.needs, w->pop, recorder);
  recorder.start();
  std::vector<WorkOrders> logs(w->pop.grids());
  for (int d = 0; d < 200; ++d)
    for (std::uint32_t g = 0; g < w->pop.grids(); ++g)
      needs.arise(w->pop, GridId(g), Day(d), {3, 0}, logs[g], recorder.grid_row(GridId(g)));
  std::size_t household_needs = 0;
  for (const auto& log : logs)
    for (const auto& n : log.log) {
      const auto scope = w.s.needs.types[n.type].scope;
      if (scope == scenario::NeedScope::Household || scope == scenario::NeedScope::Resident) {
        ++household_needs;
        EXPECT_FALSE(w->pop.resident_vacant(n.resident));
      }
    }
  EXPECT_GT(household_needs, 0u);
}

// Households moving in take their own group's inputs (community.groups[]): with group B without
// app use and all its households poor, after a year of turnover every household of B, newcomers
// included, has neither; every household of A keeps the draws its dwelling had. With the same
// inputs for both groups, turnover changes no resident's app use and no household's income.
TEST(Embedding, NewcomersTakeTheirGroupsDigitalAccessAndIncome) {
  const std::string groups = R"(
run: {days: 365}
community:
  households: 3000
  households_per_grid: 500
  low_income_share: 0.2
  groups:
    - {name: A, share: 0.5}
)";
  const std::vector<std::string> churn = {"embedding.move_out_rate=0.5", "embedding.move_in_rate=5",
                                          "embedding.relocation_rate=0"};
  auto differ = world(groups +
                          "    - {name: B, share: 0.5, digital_access_multiplier: 0, "
                          "low_income_share: 1}\nembedding: {initial_vacancy: 0.1}\n",
                      churn);
  const auto before = differ->pop;
  run(differ, 365);
  std::size_t switched = 0;
  for (std::uint32_t h = 0; h < differ->pop.households(); ++h) {
    if (differ->pop.household_vacant[h]) continue;
    const auto g = differ->pop.household_group[h];
    switched += g != before.household_group[h];
    const auto members = differ->pop.household_residents(h);
    if (g == 1) {
      EXPECT_EQ(differ->pop.household_low_income[h], 1) << h;
      for (auto r = members.begin; r < members.end; ++r)
        EXPECT_EQ(differ->pop.resident_digital[r], 0) << r;
    } else {
      EXPECT_EQ(differ->pop.household_low_income[h], differ->pop.household_income_draw[h] < 0.2)
          << h;
      for (auto r = members.begin; r < members.end; ++r)
        EXPECT_EQ(
            differ->pop.resident_digital[r] != 0,
            differ->pop.resident_digital_draw[r] <
                population::digital_access(differ.s.community, 0, differ->pop.resident_age_band[r]))
            << r;
    }
  }
  EXPECT_GT(switched, 200u);  // dwellings that changed group, both ways

  auto same =
      world(groups + "    - {name: B, share: 0.5}\nembedding: {initial_vacancy: 0.1}\n", churn);
  const auto start = same->pop;
  run(same, 365);
  EXPECT_EQ(same->pop.resident_digital, start.resident_digital);
  EXPECT_EQ(same->pop.household_low_income, start.household_low_income);
  EXPECT_NE(same->pop.household_group, start.household_group);
}

// The need rates follow the income of the households that move in: after a year of the day plan's
// embedding step with turnover between a group without low income and one all of low income
// (policy_question arises twice as often in a low-income household), needs arise in the world
// exactly as from a NeedArrival prepared afresh from the population as it now is.
TEST(Embedding, NeedRatesFollowTheIncomeOfHouseholdsThatMovedIn) {
  auto w = world(
      R"(
run: {days: 365}
community:
  households: 3000
  households_per_grid: 500
  groups:
    - {name: A, share: 0.5, low_income_share: 0}
    - {name: B, share: 0.5, low_income_share: 1}
embedding: {initial_vacancy: 0.1}
)",
      {"embedding.move_out_rate=0.5", "embedding.move_in_rate=5", "embedding.relocation_rate=0.2"});
  const auto plan = engine::day_plan();
  const auto moves = std::find_if(plan.begin(), plan.end(), [](const engine::Step& s) {
    return std::string_view(s.name) == "embedding: moves";
  });
  ASSERT_NE(moves, plan.end());
  const auto before = w->pop.household_low_income;
  for (int d = 0; d < 365; ++d) {
    moves->community(*w, {Day(d), w->key}, w->recorder.community_row());
    w->recorder.end_day(Day(d));
  }
  std::size_t flipped = 0;
  for (std::uint32_t h = 0; h < w->pop.households(); ++h)
    flipped += w->pop.household_low_income[h] != before[h];
  EXPECT_GT(flipped, 300u);

  output::Recorder recorder(w->pop.grids(), 1);
  const NeedArrival fresh(w.s.needs, w->pop, recorder);
  recorder.start();
  std::size_t arisen = 0;
  for (int d = 365; d < 455; ++d)
    for (std::uint32_t g = 0; g < w->pop.grids(); ++g) {
      WorkOrders world_log, fresh_log;
      w->needs.arise(w->pop, GridId(g), Day(d), w->key, world_log, w->recorder.grid_row(GridId(g)));
      fresh.arise(w->pop, GridId(g), Day(d), w->key, fresh_log, recorder.grid_row(GridId(g)));
      ASSERT_EQ(world_log.log.size(), fresh_log.log.size()) << "day " << d << ", grid " << g;
      for (std::size_t i = 0; i < world_log.log.size(); ++i) {
        EXPECT_EQ(world_log.log[i].type, fresh_log.log[i].type);
        EXPECT_EQ(world_log.log[i].place, fresh_log.log[i].place);
      }
      arisen += world_log.log.size();
    }
  EXPECT_GT(arisen, 1000u);
}

// Newcomers arrive in the groups' newcomer shares (community.groups[].newcomer_share), not their
// shares, when those are set.
TEST(Embedding, NewcomersArriveInTheGroupsNewcomerShares) {
  auto w = world(kSchelling,
                 {"community.groups.0.newcomer_share=0.9", "community.groups.1.newcomer_share=0.1",
                  "embedding.move_out_rate=5", "embedding.move_in_rate=50",
                  "embedding.relocation_rate=0", "run.days=200"});
  double arrivals = 0, of_a = 0;
  for (int d = 0; d < 200; ++d) {
    w->embedding.run(w->pop, Day(d), w->key, w->social, w->residents, w->recorder.community_row());
    w->recorder.end_day(Day(d));
    // A household that settled today is a newcomer (no relocations here), whatever dwelling it
    // took, one vacated today included.
    for (std::uint32_t h = 0; h < w->pop.households(); ++h)
      if (!w->pop.household_vacant[h] &&
          w->residents.settled_day[w->pop.household_residents(h).begin] == d) {
        arrivals += 1;
        of_a += w->pop.household_group[h] == 0;
      }
  }
  ASSERT_GT(arrivals, 1000);
  EXPECT_NEAR(of_a / arrivals, 0.9, 4 * std::sqrt(0.09 / arrivals));
}

// A register's floors place the dwellings (Embedding::floor_lattice): the community written as a
// register with the floors the regular lattice gives has the same neighbours, dwelling by
// dwelling, also with more doors a floor than a stairwell has dwellings; and every household a
// register lists lives there on the first day.
TEST(Embedding, ARegistersFloorsGiveTheLatticeAndItsHouseholdsAllLiveThere) {
  for (const char* doors_per_floor : {"2", "20"}) {
    const std::vector<std::string> set = {
        "embedding.initial_vacancy=-1", "embedding.move_out_rate=1",
        std::string("embedding.doors_per_floor=") + doors_per_floor};
    auto synthetic = world(kSchelling, set);
    EXPECT_GT(synthetic->embedding.vacancies(), 0u);
    // The synthetic community as a register, with the floors its lattice gives (first floor 1).
    auto reg = population::as_register(synthetic->pop, synthetic.s);
    ASSERT_EQ(reg.household_floor.front(), scenario::Register::kNoFloor);
    const auto doors = static_cast<std::uint32_t>(synthetic.s.embedding.doors_per_floor);
    const auto& pop = synthetic->pop;
    for (std::uint32_t h = 0; h < reg.households(); ++h) {
      const auto k = h - pop.stairwell_first_household[pop.household_stairwell[h]];
      reg.household_floor[h] = static_cast<std::int16_t>(k / doors + 1);
    }
    test::TempDir dir;
    test::write_file(dir / "h.csv", scenario::register_csv(reg, synthetic.s.community));
    auto with_register = set;
    with_register.push_back("community.register=" + (dir / "h.csv").string());
    auto registered = world(kSchelling, with_register);
    ASSERT_FALSE(registered->pop.household_floor.empty());
    ASSERT_EQ(registered->pop.households(), pop.households());
    for (std::uint32_t h = 0; h < pop.households(); ++h) {
      const auto a = synthetic->embedding.neighbours(h), b = registered->embedding.neighbours(h);
      ASSERT_EQ(std::set<std::uint32_t>(a.begin(), a.end()),
                std::set<std::uint32_t>(b.begin(), b.end()))
          << doors_per_floor << " doors, dwelling " << h;
    }
    EXPECT_EQ(registered->embedding.vacancies(), 0u);
    EXPECT_EQ(std::count(registered->pop.household_vacant.begin(),
                         registered->pop.household_vacant.end(), 1),
              0);
    // A share the scenario gives is still applied.
    with_register.push_back("embedding.initial_vacancy=0.1");
    EXPECT_EQ(world(kSchelling, with_register)->embedding.vacancies(), 300u);
  }
}

// Floors a register gives as they are: a skipped floor has no neighbour across it, and a floor
// with more dwellings than embedding.doors_per_floor widens the building's lattice.
TEST(Embedding, FloorsAsTheRegisterGivesThem) {
  test::TempDir dir;
  // One building, one stairwell: floor 1 with three dwellings (a, b, c), floor 2 with d, floor 4
  // with e (no floor 3).
  test::write_file(dir / "h.csv",
                   "household,building,stairwell,floor,group,ages\n"
                   "a,B,1,1,A,40\nb,B,1,1,A,40\nc,B,1,1,B,40\nd,B,1,2,B,40\ne,B,1,4,A,40\n");
  auto w = world(kSchelling,
                 {"community.households=5", "community.register=" + (dir / "h.csv").string()});
  ASSERT_EQ(w->pop.households(), 5u);
  const auto set = [&](std::uint32_t h) {
    const auto n = w->embedding.neighbours(h);
    return std::set<std::uint32_t>(n.begin(), n.end());
  };
  EXPECT_EQ(set(0), (std::set<std::uint32_t>{1, 3}));     // a: b beside, d above
  EXPECT_EQ(set(1), (std::set<std::uint32_t>{0, 2, 3}));  // b: a and c beside, d diagonal
  EXPECT_EQ(set(2), (std::set<std::uint32_t>{1}));        // c: b; d is two columns off
  EXPECT_EQ(set(3), (std::set<std::uint32_t>{0, 1}));     // d: a below, b diagonal
  EXPECT_TRUE(set(4).empty());                            // e: floor 3 is missing
}

}  // namespace
}  // namespace commsim::model
