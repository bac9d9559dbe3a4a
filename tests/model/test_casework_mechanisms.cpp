// Model I, one mechanism at a time: reporting channels, stewards, volunteers' overload, well-being,
// staff hours, carry-over across days off. Each assertion is one a bug in the mechanism changes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/model/activities.hpp"
#include "sim/model/reporting.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"
#include "support/tiny_community.hpp"

namespace commsim::model {
namespace {

using test::RunFile;
using test::TempDir;

scenario::Scenario baseline() {
  return scenario::load_scenario(test::source_dir() / "scenarios/baseline.yaml").scenario;
}

const output::Metric& find(const std::vector<output::Metric>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return m;
  throw std::runtime_error("no metric " + name);
}

const output::Column& column(const output::Table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}
const std::vector<std::int64_t>& ints(const output::Table& t, const std::string& name) {
  return std::get<std::vector<std::int64_t>>(column(t, name).data);
}

RunFile run(const TempDir& dir, const std::string& name, const std::string& scenario,
            const std::vector<std::string>& extra) {
  const auto out = dir / (name + ".h5");
  std::vector<std::string> args = {"run", scenario, "-o", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = test::run_commsim(args);
  if (r.exit_code != 0) throw std::runtime_error(r.err);
  return test::read_run_file(out);
}

// The baseline's world with overrides (the builder's own), stream key {4, 0}.
test::TinyCommunity baseline_world(const std::vector<std::string>& overrides) {
  test::TinyOptions options;
  options.baseline = true;
  options.key = {4, 0};
  return test::tiny_community(overrides, options);
}

// A sanitation need (stairwell scope) of grid 0's first stairwell, raised by its first occupant
// who speaks the common language, reported by hotline at the start of day 0; with the
// stairwell's residents and the next stairwell's.
struct StairwellNeed {
  std::uint32_t index;
  population::Range people, neighbours;
};
StairwellNeed open_stairwell_need(test::TinyCommunity& w) {
  const auto& pop = w->pop;
  const auto sanitation = w.type("sanitation");
  EXPECT_EQ(w.s.needs.types[sanitation].scope, scenario::NeedScope::Stairwell);
  const std::uint32_t stairwell = pop.grid_stairwells(GridId(0)).begin;
  const StairwellNeed out{0, pop.stairwell_residents(stairwell),
                          pop.stairwell_residents(stairwell + 1)};
  EXPECT_GT(out.people.size(), 2u);
  std::uint32_t raiser = out.people.begin;
  while (pop.resident_vacant(raiser) || pop.resident_proficiency[raiser] < 0.5f) ++raiser;
  const auto i = w.add_need(0, sanitation, stairwell, raiser);
  w.open_order(0, i, kHotline, Day(0), 0.0);
  return {i, out.people, out.neighbours};
}

// A shared need's effect on one measure: `expect_changed(r)` holds for every occupied resident
// of `affected` (more than one of them), and the measure did not move for anyone in `others`.
template <class F>
void expect_reaches_exactly(const population::Population& pop, population::Range affected,
                            population::Range others, const std::vector<float>& measure,
                            const std::vector<float>& before, F expect_changed) {
  std::size_t reached = 0;
  for (std::uint32_t r = affected.begin; r < affected.end; ++r) {
    if (pop.resident_vacant(r)) continue;
    expect_changed(r);
    ++reached;
  }
  EXPECT_GT(reached, 1u);
  for (std::uint32_t r = others.begin; r < others.end; ++r) EXPECT_EQ(measure[r], before[r]) << r;
}

// ---- Reporting channels ----------------------------------------------------------------------

TEST(Channels, NoDigitalAccessNeverUsesTheAppLowTrustAndLowProficiencyReportLess) {
  const auto s = baseline();
  auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  std::size_t without = 0, with = 0;
  for (std::uint32_t r = 0; r < pop.residents(); ++r) {
    const auto p = report_propensities(s.reporting, pop, residents, r, 1, 0.1, true);
    if (!pop.resident_digital[r]) {
      ++without;
      EXPECT_EQ(p[kApp], 0.0) << r;
    } else {
      ++with;
      EXPECT_GT(p[kApp], 0.0) << r;
    }
  }
  EXPECT_GT(without, 0u);
  EXPECT_GT(with, 0u);

  // A digital, proficient resident who is not elderly: trust moves hotline and app by the trust
  // elasticity; visits and stewards do not depend on it.
  std::uint32_t r = 0;
  while (!pop.resident_digital[r] || pop.resident_elderly[r] || pop.resident_proficiency[r] < 0.5f)
    ++r;
  residents.trust[r] = 0.8f;
  const auto high = report_propensities(s.reporting, pop, residents, r, 1, 0.1, true);
  residents.trust[r] = 0.3f;
  const auto low = report_propensities(s.reporting, pop, residents, r, 1, 0.1, true);
  ASSERT_GT(s.reporting.trust_elasticity, 0.0);
  EXPECT_LT(low[kHotline], high[kHotline]);
  EXPECT_LT(low[kApp], high[kApp]);
  EXPECT_NEAR(low[kHotline] / high[kHotline], std::pow(0.3 / 0.8, s.reporting.trust_elasticity),
              1e-6);
  EXPECT_EQ(low[kPatrol], high[kPatrol]);
  EXPECT_EQ(low[kSteward], high[kSteward]);

  // Low proficiency in the common language cuts hotline use by its multiplier.
  residents.trust[r] = 0.5f;
  const auto fluent = report_propensities(s.reporting, pop, residents, r, 1, 0.1, true);
  pop.resident_proficiency[r] = 0.2f;
  const auto halting = report_propensities(s.reporting, pop, residents, r, 1, 0.1, true);
  ASSERT_LT(s.reporting.low_proficiency_hotline, 1.0);
  EXPECT_LT(halting[kHotline], fluent[kHotline]);
  EXPECT_NEAR(halting[kHotline] / fluent[kHotline], s.reporting.low_proficiency_hotline, 1e-9);
  // No steward in the stairwell: no steward reports.
  EXPECT_EQ(report_propensities(s.reporting, pop, residents, r, 1, 0.1, false)[kSteward], 0.0);
}

// A visit finds a low-proficiency resident's need at the full rate when the visitor speaks the
// resident's language, at reporting.low_proficiency_visit of it when no visitor does, in between
// in proportion; a proficient resident's need is found whoever visits.
TEST(Channels, AVisitorWithoutTheResidentsLanguageFindsLessOnlyForLowProficiency) {
  const auto s = baseline();
  auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  std::uint32_t r = 0;
  while (pop.resident_proficiency[r] < 0.5f) ++r;
  const auto visit = [&](double speaks) {
    return report_propensities(s.reporting, pop, residents, r, 1, 0.1, true, speaks)[kPatrol];
  };
  EXPECT_EQ(visit(0.0), visit(1.0));
  pop.resident_proficiency[r] = 0.2f;
  ASSERT_LT(s.reporting.low_proficiency_visit, 1.0);
  EXPECT_NEAR(visit(0.0) / visit(1.0), s.reporting.low_proficiency_visit, 1e-12);
  EXPECT_NEAR(visit(0.5) / visit(1.0), 0.5 + 0.5 * s.reporting.low_proficiency_visit, 1e-12);
}

// ---- Stewards and organisation depth ---------------------------------------------------------

struct Delays {
  double stairwell_delay = 0;  // mean days from arising to report, stairwell-scope needs
  std::size_t mediated = 0;    // closed by a steward
  bool mediated_are_disputes = true;
};

Delays delays(const RunFile& f, const scenario::Scenario& s) {
  const auto& t = f.result.tables.at(0);
  const auto& type = ints(t, "type");
  const auto& arisen = ints(t, "day_arisen");
  const auto& reported = ints(t, "day_reported");
  const auto& handler = ints(t, "handler");
  const auto& channel = ints(t, "channel");
  const auto& names = column(t, "type").labels;
  Delays out;
  double sum = 0, n = 0;
  for (std::size_t r = 0; r < type.size(); ++r) {
    const auto& spec = s.needs.types.at(static_cast<std::size_t>(type[r]));
    if (spec.scope == scenario::NeedScope::Stairwell && reported[r] >= 0) {
      sum += static_cast<double>(reported[r] - arisen[r]);
      n += 1;
    }
    if (handler[r] == kStewardHandler) {
      ++out.mediated;
      out.mediated_are_disputes &=
          names.at(static_cast<std::size_t>(type[r])) == "neighbour_dispute" &&
          channel[r] == kSteward;
    }
  }
  out.stairwell_delay = sum / n;
  return out;
}

TEST(Stewards, FourLevelsReportStairwellNeedsSoonerAndMediateDisputes) {
  TempDir dir;
  const auto s = baseline();
  const std::vector<std::string> on = {"--days", "365", "--set", "output.work_order_events=true"};
  auto with = on, without = on;
  with.insert(with.end(), {"--set", "organisation.levels=4"});
  without.insert(without.end(), {"--set", "organisation.levels=3"});
  const auto four = delays(run(dir, "four", "scenarios/baseline.yaml", with), s);
  const auto three = delays(run(dir, "three", "scenarios/baseline.yaml", without), s);
  EXPECT_LT(four.stairwell_delay, three.stairwell_delay);
  EXPECT_GT(four.mediated, 0u);
  EXPECT_TRUE(four.mediated_are_disputes);
  EXPECT_EQ(three.mediated, 0u);
}

// ---- Draws -----------------------------------------------------------------------------------

TEST(Draws, AServiceDistributionChangeLeavesTheNeedsOtherDrawsAlone) {
  // Common random numbers: a lever on one type's service time must not shift the on-the-spot,
  // language, centre or department draws of its needs.
  std::vector<NeedDraws> by_distribution;
  std::vector<double> services;
  for (const char* d : {"exponential", "lognormal", "fixed"}) {
    const auto w = baseline_world({std::string("casework.types.0.distribution=") + d});
    const auto type = w.type(w.s.casework.types.at(0).name);
    for (std::uint32_t i = 0; i < 50; ++i) {
      by_distribution.push_back(need_draws({4, 0}, 1, i, type, w->orders.types()));
      services.push_back(by_distribution.back().service);
    }
  }
  for (std::size_t k = 0; k < 50; ++k) {
    for (std::size_t arm = 1; arm < 3; ++arm) {
      const auto& a = by_distribution[k];
      const auto& b = by_distribution[arm * 50 + k];
      EXPECT_EQ(a.language, b.language);
      EXPECT_EQ(a.on_spot, b.on_spot);
      EXPECT_EQ(a.community, b.community);
      EXPECT_EQ(a.whistle, b.whistle);
      EXPECT_EQ(a.respond, b.respond);
    }
    EXPECT_EQ(services[100 + k], 1.0);         // fixed
    EXPECT_NE(services[k], services[50 + k]);  // exponential and lognormal differ
  }
}

// ---- Well-being ------------------------------------------------------------------------------

// The rules one by one are in tests/model/test_wellbeing.cpp; here, whom they reach.

TEST(Wellbeing, ASharedNeedResolvedReachesEveryoneInTheStairwell) {
  // Workers resolve every order on the spot (skill 1, no language penalty).
  auto w = baseline_world({"staffing.skill=1", "casework.on_the_spot=[1, 1, 1]",
                           "casework.language_penalty=1", "wellbeing.initial_spread=0"});
  const auto& pop = w->pop;
  auto& residents = w->residents;
  // Residents who expect little: a resolution in time is a positive disconfirmation.
  residents.expectation.assign(residents.expectation.size(), 0.5f);
  const auto before = residents.sense_of_gain;
  const auto [i, people, neighbours] = open_stairwell_need(w);
  w.grid_day(GridId(0), Day(0));
  ASSERT_EQ(w->orders.grids[0].log[i].state, NeedState::Resolved);
  expect_reaches_exactly(
      pop, people, neighbours, residents.sense_of_gain, before,
      [&](std::uint32_t r) { EXPECT_GT(residents.sense_of_gain[r], before[r]) << r; });
}

TEST(Wellbeing, ASharedNeedUnresolvedWearsDownEveryoneInTheStairwell) {
  // Nobody can solve it, and it is past its commitment from the day after it was reported.
  auto w = baseline_world({"casework.on_the_spot=[0, 0, 0]", "casework.community_resolution=0",
                           "casework.department_response=0", "casework.commitment_days=0",
                           "wellbeing.initial_spread=0", "wellbeing.overdue_weight=0.05"});
  const auto& pop = w->pop;
  auto& residents = w->residents;
  const auto before = residents.sense_of_gain;
  const auto [i, people, neighbours] = open_stairwell_need(w);
  // Day 2: open for 2 days against a commitment of 0, so unresolved (the grid worker's escalation
  // after it is a second experience, of the raiser's only).
  w.grid_day(GridId(0), Day(2));
  ASSERT_EQ(w->orders.grids[0].log[i].state, NeedState::Reported);
  const auto& wb = w.s.wellbeing;
  const std::uint32_t raiser = w->orders.grids[0].log[i].resident;
  expect_reaches_exactly(
      pop, people, neighbours, residents.sense_of_gain, before, [&](std::uint32_t r) {
        if (r == raiser) {
          EXPECT_LT(residents.sense_of_gain[r], before[r]);
          return;
        }
        // A day of performance 0 against expectation 1 at the overdue
        // weight (a shortfall, so times negativity), then the day's recovery.
        const double felt = 0.05 * wb.sensitivity * wb.negativity;
        EXPECT_NEAR(residents.sense_of_gain[r], before[r] - felt * (1 - wb.recovery), 1e-6) << r;
      });
}

TEST(Wellbeing, ASafetyHazardFrightensEveryoneInTheBuilding) {
  // Nobody fixes it today (no on-the-spot resolution), so only the fright is seen.
  auto w = baseline_world(
      {"casework.on_the_spot=[0, 0, 0]", "wellbeing.initial_spread=0", "wellbeing.recovery=0"});
  const auto& pop = w->pop;
  auto& residents = w->residents;
  const auto hazard = w.type("safety_hazard");
  ASSERT_EQ(w.s.needs.types[hazard].scope, scenario::NeedScope::Building);
  const std::uint32_t building = pop.grid_buildings(GridId(0)).begin;
  const auto people = pop.building_residents(building);
  const auto others = pop.building_residents(building + 1);
  std::uint32_t raiser = people.begin;
  while (pop.resident_vacant(raiser)) ++raiser;
  w.add_need(0, hazard, building, raiser);
  const auto before = residents.security;
  w.grid_day(GridId(0), Day(0));
  expect_reaches_exactly(pop, people, others, residents.security, before, [&](std::uint32_t r) {
    EXPECT_NEAR(residents.security[r], before[r] - w.s.wellbeing.safety_loss, 1e-6) << r;
  });
}

TEST(Wellbeing, MeasuresReturnToEachResidentsOwnBaseline) {
  auto spec = baseline().wellbeing;
  spec.initial_spread = 0.2;
  spec.recovery = 0.1;
  spec.trust_days = 5;  // trust follows satisfaction, which returns to the baseline
  Wellbeing w(spec);
  ResidentState st;
  w.initialise(st, 3, {9, 0});
  Ties ties;
  ties.resize(3, 4);
  EXPECT_NE(st.baseline[0], st.baseline[2]);
  st.baseline[1] = 0.9f;  // a newcomer's level (embedding sets wellbeing.initial)
  for (auto* v : {&st.trust, &st.security}) v->assign(3, 0.5f);
  for (int day = 0; day < 300; ++day) w.recover(st, 0, 3, ties);
  for (std::uint32_t r = 0; r < 3; ++r) {
    EXPECT_NEAR(st.trust[r], st.baseline[r], 1e-4) << r;
    EXPECT_NEAR(st.security[r], st.baseline[r], 1e-4) << r;
  }
}

// Each group against the rest (group_stats.hpp): the rest's mean, the group's mean minus the gap,
// lies among the other groups' means; the standard error is positive where there is a gap and the
// last day's 95% interval is the gap plus or minus a Student quantile of its standard error.
TEST(Wellbeing, GapIsEachGroupAgainstTheRestWithItsInterval) {
  TempDir dir;
  const auto f = run(dir, "gap", "scenarios/baseline.yaml", {"--days", "60"});
  const auto& ts = f.result.timeseries;
  const auto& gap = find(ts, "wellbeing_gap");
  const auto& gap_se = find(ts, "wellbeing_gap_se");
  const auto& ci = find(f.result.summaries, "wellbeing_gap_ci");
  const std::vector<std::string> measures = {"sense_of_gain", "happiness", "security", "trust",
                                             "belonging"};
  const std::size_t days = static_cast<std::size_t>(f.result.days);
  for (std::size_t m = 0; m < measures.size(); ++m) {
    const auto& by_group = find(ts, measures[m]);
    const std::size_t groups = by_group.cells();
    ASSERT_GT(groups, 1u);
    ASSERT_EQ(gap.cells(), measures.size() * groups);
    for (std::size_t d = 0; d < days; ++d)
      for (std::size_t k = 0; k < groups; ++k) {
        const double mean = by_group.values[d * groups + k];
        const std::size_t cell = m * groups + k;
        const double g = gap.values[d * gap.cells() + cell];
        double lo = 1e300, hi = -1e300;
        for (std::size_t o = 0; o < groups; ++o)
          if (o != k) {
            lo = std::min(lo, by_group.values[d * groups + o]);
            hi = std::max(hi, by_group.values[d * groups + o]);
          }
        EXPECT_GE(mean - g, lo - 1e-6) << measures[m] << " " << k << " day " << d;
        EXPECT_LE(mean - g, hi + 1e-6) << measures[m] << " " << k << " day " << d;
        // Residents start alike (wellbeing.initial_spread): no spread, no gap, no error.
        const double se = gap_se.values[d * gap.cells() + cell];
        EXPECT_GE(se, 0.0);
        if (std::abs(g) > 1e-9) {
          EXPECT_GT(se, 0.0);
        }
        if (d + 1 < days || se == 0) continue;
        const double low = ci.values[2 * cell], high = ci.values[2 * cell + 1];
        if (low <= -1 || high >= 1) continue;  // cut at the range of a difference
        EXPECT_NEAR(g - low, high - g, 1e-9);
        EXPECT_GE((high - g) / se, 1.959);
        EXPECT_LE((high - g) / se, 12.71);
      }
  }
}

// ---- Staff hours -----------------------------------------------------------------------------

TEST(StaffHours, ActivitiesSumToTheDayAndBurdenReductionFreesSeventyPercent) {
  const auto s = baseline();
  const auto plan = plan_staff(s.staffing, 12, 15000);
  const auto sum = [](const double* h) { return std::accumulate(h, h + kActivities, 0.0); };
  EXPECT_NEAR(sum(plan.ft_hours), s.staffing.hours_per_day, 1e-12);
  EXPECT_NEAR(sum(plan.pt_hours), s.staffing.part_time_hours, 1e-12);

  auto spec = s.staffing;
  spec.burden_reduction = 0.0;
  spec.paperwork_hours = 3.0;
  spec.freed_to_casework = 0.6;
  const auto off = plan_staff(spec, 12, 15000);
  spec.burden_reduction = 0.7;
  const auto on = plan_staff(spec, 12, 15000);
  EXPECT_NEAR(on.ft_hours[kActPaperwork], 0.3 * off.ft_hours[kActPaperwork], 1e-12);
  const double freed = 0.7 * 3.0;
  EXPECT_NEAR(on.ft_hours[kActCasework] - off.ft_hours[kActCasework], 0.6 * freed, 1e-12);
  EXPECT_NEAR(on.ft_hours[kActPatrol] - off.ft_hours[kActPatrol], 0.4 * freed, 1e-12);
  EXPECT_EQ(on.ft_hours[kActTraining], off.ft_hours[kActTraining]);
  EXPECT_NEAR(sum(on.ft_hours), spec.hours_per_day, 1e-12);

  // In a run: each working day's hours by activity add up to the workers' days; none on days off.
  TempDir dir;
  const auto f = run(dir, "hours", "scenarios/baseline.yaml", {"--days", "28"});
  const auto& hours = find(f.result.timeseries, "staff_hours");
  const double ft = find(f.result.summaries, "full_time_workers").values.at(0);
  const double pt = find(f.result.summaries, "part_time_workers").values.at(0);
  const double day = ft * s.staffing.hours_per_day + pt * s.staffing.part_time_hours;
  std::size_t working = 0;
  for (std::size_t d = 0; d < 28; ++d) {
    const double total =
        std::accumulate(hours.values.begin() + static_cast<long>(d * kActivities),
                        hours.values.begin() + static_cast<long>((d + 1) * kActivities), 0.0);
    const bool works =
        static_cast<std::int64_t>((s.run.start_weekday + d) % 7) < s.staffing.days_per_week;
    working += works;
    EXPECT_NEAR(total, works ? day : 0.0, 1e-9) << d;
  }
  EXPECT_EQ(working, static_cast<std::size_t>(4 * s.staffing.days_per_week));
}

// ---- Carry-over across days off ---------------------------------------------------------------

// Saturated queue, fixed 12-hour orders, 8-hour casework days, five working days a week: over 51
// working days (408 hours) a worker closes exactly floor((408 - delay) / 12) = 33 orders, the
// delay before the first order of day 0 being under 12 hours. An order still in service on Friday
// evening resumes on Monday; dropping the remainder over the weekend would close more. Orders
// are never closed on a day off.
TEST(CarryOver, LongOrdersPauseOverTheWeekendAndFinishOnWorkingDays) {
  TempDir dir;
  const auto yaml = dir / "carry.yaml";
  test::write_file(
      yaml, "extends: " + (test::source_dir() / "scenarios/validation/erlang_c.yaml").string() +
                "\nrun: {days: 71, start_weekday: 0}\n"
                "staffing: {days_per_week: 5}\n"
                "casework: {service_distribution: fixed, service_mean_hours: 12}\n"
                "output: {work_order_events: true}\n");
  const auto f = run(dir, "carry", yaml.string(), {});
  const double workers = find(f.result.summaries, "full_time_workers").values.at(0);
  ASSERT_EQ(workers, 12);
  const auto& t = f.result.tables.at(0);
  const auto& handler = ints(t, "handler");
  const auto& resolved = ints(t, "day_resolved");
  std::size_t closed = 0;
  for (std::size_t r = 0; r < handler.size(); ++r) {
    if (handler[r] != kFullTime) continue;
    ++closed;
    EXPECT_LT(resolved[r] % 7, 5) << r;
  }
  EXPECT_EQ(closed, static_cast<std::size_t>(workers * 33));
  EXPECT_EQ(find(f.result.summaries, "work_orders_resolved").values.at(0), workers * 33);
}

}  // namespace
}  // namespace commsim::model
