// A region's run: a region of one community is that community alone; a community's draws do not
// depend on the others (common random numbers per community); the region is the same on 1, 2 and
// 4 threads; a subdistrict's whistle capacity is shared (one community's flood of whistles delays
// another's); the totals and tables add up to the communities.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/region.hpp"
#include "support/test_support.hpp"

namespace commsim::engine {
namespace {

// Small communities and a short run: the properties are exact, not statistical.
constexpr const char* kPolicy = "run: {days: 40, burn_in_days: 20}\n";

scenario::Scenario load(const test::TempDir& dir, const std::string& body,
                        const std::vector<std::string>& overrides = {}) {
  const std::string base = (test::source_dir() / "scenarios/baseline.yaml").string();
  test::write_file(dir / "s.yaml", "extends: " + base + "\n" + kPolicy + body);
  return scenario::load_scenario(dir / "s.yaml", overrides).scenario;
}

output::RunResult run(const scenario::Scenario& s, int threads = 2, std::uint64_t seed = 5) {
  RunOptions o;
  o.seed = seed;
  o.threads = threads;
  return run_simulation(s, o).result;
}

bool bitwise(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// Every metric of `a` and `b` by name, bit for bit; the names `only_in_b` may be in b alone.
void expect_same(const std::vector<output::Metric>& a, const std::vector<output::Metric>& b,
                 const std::vector<std::string>& only_in_b = {}) {
  std::size_t matched = 0;
  for (const auto& mb : b) {
    const output::Metric* ma = nullptr;
    for (const auto& m : a)
      if (m.name == mb.name) ma = &m;
    if (!ma) {
      EXPECT_NE(std::find(only_in_b.begin(), only_in_b.end(), mb.name), only_in_b.end())
          << mb.name << " only in one";
      continue;
    }
    ++matched;
    EXPECT_TRUE(bitwise(ma->values, mb.values)) << mb.name;
  }
  EXPECT_EQ(matched, a.size());
}

const output::RunPart& part(const output::RunResult& r, const std::string& name) {
  for (const auto& p : r.parts)
    if (p.name == name) return p;
  throw std::logic_error("no part " + name);
}

const output::Metric& metric(const std::vector<output::Metric>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return m;
  throw std::logic_error("no metric " + name);
}

const std::vector<std::string> kRegionOnly = {"department_take_ups", "department_wait_mean",
                                              "department_wait_mean_with_waiting"};

TEST(RegionRun, ARegionOfOneCommunityIsThatCommunityAlone) {
  const test::TempDir dir;
  // The community named like the scenario's own community (the baseline's) keeps its streams.
  const auto alone = load(dir, "community: {households: 600}\n");
  const auto region = load(dir,
                           "community: {households: 600}\n"
                           "region:\n  detail: full\n  subdistricts: [{name: S}]\n"
                           "  communities: [{name: Jinhuayuan, subdistrict: S}]\n");
  const auto a = run(alone), r = run(region);
  ASSERT_EQ(r.parts.size(), 2u);  // the community and its subdistrict
  const auto& community = part(r, "Jinhuayuan");
  expect_same(a.summaries, community.summaries, kRegionOnly);
  expect_same(a.timeseries, community.timeseries);
  // The totals of one community are its own (a ratio pooled by its weight: within rounding).
  for (const auto& m : a.summaries) {
    const auto& t = metric(r.summaries, m.name);
    ASSERT_EQ(t.values.size(), m.values.size()) << m.name;
    if (m.combine == "none") continue;
    for (std::size_t c = 0; c < m.values.size(); ++c) {
      if (std::isnan(m.values[c]) || std::isnan(t.values[c])) continue;  // a ratio without weight
      EXPECT_NEAR(t.values[c], m.values[c], 1e-12 * (1 + std::abs(m.values[c]))) << m.name;
    }
  }
  // Without a capacity every whistle is taken up when made.
  EXPECT_EQ(metric(community.summaries, "department_take_ups").headline,
            metric(a.summaries, "whistles").headline);
  EXPECT_EQ(metric(community.summaries, "department_wait_mean").headline, 0);
}

TEST(RegionRun, ACommunitysDrawsDoNotDependOnTheOthers) {
  const test::TempDir dir;
  const std::string subdistricts = "region:\n  subdistricts: [{name: S}, {name: T}]\n";
  const auto two = load(dir, subdistricts +
                                 "  communities:\n"
                                 "    - {name: A, subdistrict: S, community.households: 400}\n"
                                 "    - {name: B, subdistrict: T, community.households: 500}\n");
  const auto three = load(dir, subdistricts +
                                   "  communities:\n"
                                   "    - {name: C, subdistrict: S, community.households: 300}\n"
                                   "    - {name: B, subdistrict: T, community.households: 500}\n"
                                   "    - {name: A, subdistrict: S, community.households: 400}\n");
  const auto r2 = run(two), r3 = run(three);
  expect_same(part(r2, "A").summaries, part(r3, "A").summaries);
  expect_same(part(r2, "B").summaries, part(r3, "B").summaries);
  // And the streams are the community's own: two communities alike but for the name differ.
  EXPECT_FALSE(bitwise(metric(part(r3, "A").summaries, "needs_arisen").values,
                       metric(part(r3, "C").summaries, "needs_arisen").values));
}

TEST(Determinism, ARegionIsIdenticalOnOneTwoAndFourThreads) {
  const test::TempDir dir;
  const auto s = load(dir,
                      "region:\n  detail: full\n"
                      "  subdistricts: [{name: S, whistle_capacity: 1.5}, {name: T}]\n"
                      "  communities:\n"
                      "    - {name: A, subdistrict: S, community.households: 400}\n"
                      "    - {name: B, subdistrict: S, community.households: 700}\n"
                      "    - {name: C, subdistrict: T, community.households: 300}\n");
  const auto one = run(s, 1), two = run(s, 2), four = run(s, 4);
  for (const auto* other : {&two, &four}) {
    expect_same(one.summaries, other->summaries);
    expect_same(one.timeseries, other->timeseries);
    ASSERT_EQ(one.parts.size(), other->parts.size());
    for (std::size_t p = 0; p < one.parts.size(); ++p) {
      expect_same(one.parts[p].summaries, other->parts[p].summaries);
      expect_same(one.parts[p].timeseries, other->parts[p].timeseries);
    }
    ASSERT_EQ(one.region_tables.size(), other->region_tables.size());
    for (std::size_t t = 0; t < one.region_tables.size(); ++t)
      for (std::size_t c = 0; c < one.region_tables[t].columns.size(); ++c) {
        const auto& a = one.region_tables[t].columns[c].data;
        const auto& b = other->region_tables[t].columns[c].data;
        if (const auto* reals = std::get_if<std::vector<double>>(&a))
          EXPECT_TRUE(bitwise(*reals, std::get<std::vector<double>>(b)))
              << one.region_tables[t].columns[c].name;
        else
          EXPECT_TRUE(a == b) << one.region_tables[t].columns[c].name;
      }
  }
}

TEST(RegionRun, AFloodOfWhistlesFromOneCommunityDelaysAnothers) {
  const test::TempDir dir;
  // B is the same community in both regions; in the second its subdistrict's departments also
  // take F's whistles, and F's centre passes every order it gets to them.
  const std::string b = "    - {name: B, subdistrict: S, community.households: 500}\n";
  const std::string head =
      "region:\n  subdistricts: [{name: S, whistle_capacity: 4}]\n"
      "  communities:\n";
  const auto quiet = load(dir, head + b);
  const auto flooded = load(dir, head + b +
                                     "    - {name: F, subdistrict: S, community.households: "
                                     "2000, casework.community_resolution: 0}\n");
  const auto rq = run(quiet), rf = run(flooded);
  const double wait_quiet = metric(part(rq, "B").summaries, "department_wait_mean").headline;
  const double wait_flooded = metric(part(rf, "B").summaries, "department_wait_mean").headline;
  EXPECT_GT(metric(part(rf, "B").summaries, "department_take_ups").headline, 0);
  EXPECT_GT(wait_flooded, wait_quiet + 1.0) << wait_quiet << " " << wait_flooded;
  // B's needs and reports are its own either way (common random numbers): only what follows a
  // whistle changes.
  expect_same({metric(part(rq, "B").summaries, "needs_arisen")},
              {metric(part(rf, "B").summaries, "needs_arisen")});
  // Without a capacity the departments never make anyone wait.
  const auto unlimited = load(dir, head + b, {"region.subdistricts[0].whistle_capacity=-1"});
  const auto ru = run(unlimited);
  EXPECT_EQ(metric(part(ru, "B").summaries, "department_wait_mean").headline, 0);
  EXPECT_EQ(metric(part(ru, "B").summaries, "department_take_ups").headline,
            metric(part(ru, "B").summaries, "whistles").headline);
}

TEST(RegionRun, ACapacityAboveTheLoadOnEveryDayIsNoLimitButForTheDepartmentsOwnMetrics) {
  // With departments working every day and more capacity than whistles, every whistle is taken
  // up at its hour: the communities are what they are without a limit.
  const test::TempDir dir;
  const std::string body =
      "staffing: {days_per_week: 7}\n"
      "region:\n  subdistricts: [{name: S, whistle_capacity: 1000}]\n"
      "  communities:\n"
      "    - {name: A, subdistrict: S, community.households: 400}\n"
      "    - {name: B, subdistrict: S, community.households: 700}\n";
  const auto limited = run(load(dir, body));
  const auto unlimited = run(load(dir, body, {"region.subdistricts[0].whistle_capacity=-1"}));
  for (const char* c : {"A", "B"}) {
    std::vector<output::Metric> a, b;
    for (const auto& m : part(limited, c).summaries)
      if (m.name.rfind("department_", 0) != 0) a.push_back(m);
    for (const auto& m : part(unlimited, c).summaries)
      if (m.name.rfind("department_", 0) != 0) b.push_back(m);
    expect_same(a, b);
    EXPECT_EQ(metric(part(limited, c).summaries, "department_wait_mean").headline, 0) << c;
    EXPECT_EQ(metric(part(limited, c).summaries, "department_take_ups").headline,
              metric(part(unlimited, c).summaries, "department_take_ups").headline)
        << c;
  }
}

TEST(RegionRun, TotalsAndTablesAddUpToTheCommunities) {
  const test::TempDir dir;
  const auto s = load(dir,
                      "region:\n  subdistricts: [{name: S}, {name: T}]\n"
                      "  communities:\n"
                      "    - {name: A, subdistrict: S, community.households: 400}\n"
                      "    - {name: B, subdistrict: T, community.households: 700}\n"
                      "    - {name: C, subdistrict: T, community.households: 300}\n");
  const auto r = run(s);
  ASSERT_EQ(r.parts.size(), 5u);  // A, B, C, then S and T
  EXPECT_EQ(r.parts[3].level, "subdistrict");
  EXPECT_EQ(r.parts[1].subdistrict, "T");
  EXPECT_TRUE(r.parts[0].timeseries.empty());  // detail: summaries
  for (const char* name : {"whistles", "needs_arisen", "residents"}) {
    const auto& total = metric(r.summaries, name);
    double sum = 0, t_sum = 0;
    for (const char* c : {"A", "B", "C"}) sum += metric(part(r, c).summaries, name).headline;
    for (const char* c : {"B", "C"}) t_sum += metric(part(r, c).summaries, name).headline;
    EXPECT_EQ(total.headline, sum) << name;
    EXPECT_EQ(metric(part(r, "T").summaries, name).headline, t_sum) << name;
  }
  // Per-grid summaries keep every community's grids.
  const auto& by_grid = metric(r.summaries, "work_orders_opened_by_grid");
  std::size_t grids = 0;
  for (const char* c : {"A", "B", "C"})
    grids += metric(part(r, c).summaries, "work_orders_opened_by_grid").values.size();
  EXPECT_EQ(by_grid.values.size(), grids);
  EXPECT_EQ(by_grid.dims[0].labels[0].rfind("A/", 0), 0u);
  // The tables: one row per community and per subdistrict, counts adding up.
  ASSERT_EQ(r.region_tables.size(), 2u);
  const auto& communities = r.region_tables[0];
  const auto& subdistricts = r.region_tables[1];
  const auto column = [](const output::Table& t, const std::string& name) {
    for (const auto& c : t.columns)
      if (c.name == name) return c;
    throw std::logic_error("no column " + name);
  };
  const auto households =
      std::get<std::vector<std::int64_t>>(column(communities, "households").data);
  EXPECT_EQ(households, (std::vector<std::int64_t>{400, 700, 300}));
  const auto sub_households =
      std::get<std::vector<std::int64_t>>(column(subdistricts, "households").data);
  EXPECT_EQ(sub_households, (std::vector<std::int64_t>{400, 1000}));
  EXPECT_EQ(column(communities, "subdistrict").labels, (std::vector<std::string>{"S", "T"}));
  const auto whistles = std::get<std::vector<double>>(column(communities, "whistles").data);
  EXPECT_EQ(whistles[1], metric(part(r, "B").summaries, "whistles").headline);
}

}  // namespace
}  // namespace commsim::engine
