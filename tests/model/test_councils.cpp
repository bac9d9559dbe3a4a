// Councils and the topic pipeline: meetings follow the calendar; attendees raise the shared
// problems where they live; an adopted, funded topic is implemented after its delay and then
// every affected resident's shared need of that type at that place is resolved (level council),
// and nothing else is; money limits what is implemented; the reporting hook lists the raised
// needs that were unreported.

#include <gtest/gtest.h>

#include "sim/model/councils.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::model {
namespace {

struct World {
  scenario::Scenario s;
  population::Population pop;
  output::Recorder recorder;
  SocialState social;
  ResidentState residents;
  TopicPipeline topics;
  Councils councils;
  std::vector<GridNeeds> needs;
  explicit World(const std::vector<std::string>& overrides)
      : s(scenario::load_scenario_text("community: {households: 900, households_per_grid: 300}\n",
                                       "s.yaml", overrides)
              .scenario),
        pop(population::build_population(s.community, {7, 0})),
        recorder(pop.grids(), s.run.days),
        social(s, pop, {7, 0}),
        topics(s, pop, recorder),
        councils(s, pop, recorder),
        needs(pop.grids()) {
    residents.resize(pop.residents(), 0.5f);
    recorder.start();
  }
  std::uint16_t type(const std::string& name) const {
    for (std::size_t t = 0; t < s.needs.types.size(); ++t)
      if (s.needs.types[t].name == name) return static_cast<std::uint16_t>(t);
    throw std::runtime_error(name);
  }
  // A shared need of `type` at building b, raised by its first resident.
  std::uint32_t add_building_need(std::uint16_t t, std::uint32_t b, std::uint8_t severity) {
    const std::uint32_t g = pop.building_grid[b];
    Need n;
    n.type = t;
    n.place = b;
    n.resident = pop.building_residents(b).begin;
    n.severity = severity;
    needs[g].log.push_back(n);
    needs[g].unreported.push_back(static_cast<std::uint32_t>(needs[g].log.size() - 1));
    return static_cast<std::uint32_t>(needs[g].log.size() - 1);
  }
  void day(int d) {
    councils.run(pop, Day(d), {7, 0}, social, residents, topics, needs, recorder.community_row());
    topics.advance(pop, Day(d), {7, 0}, needs, recorder.community_row());
    recorder.end_day(Day(d));
  }
  double total(const std::string& name) const {
    double sum = 0;
    for (const auto& m : recorder.timeseries())
      if (m.name == name)
        for (double v : m.values) sum += v;
    return sum;
  }
};

// Every adult attends; serious problems are adopted (support 1 from severity), minor ones are not
// (about half agree, 80% needed); money is plentiful; implementation takes about a day.
const std::vector<std::string> kEager = {"councils.seat_selection=random",
                                         "councils.seats=100000",
                                         "councils.seat_attendance=1",
                                         "councils.calendar=daily",
                                         "topics.per_meeting=100",
                                         "topics.implementation_days=0.01",
                                         "topics.community_budget_per_year=1e9",
                                         "deliberation.severity_support=0.5",
                                         "deliberation.decision_rule=qualified_majority",
                                         "deliberation.qualified_share=0.8"};

TEST(Councils, AnImplementedTopicFixesTheSharedNeedForEveryAffectedResident) {
  World w(kEager);
  const auto parking = w.type("parking");
  const auto safety = w.type("safety_hazard");
  const std::uint32_t b = 1;
  const auto first = w.add_building_need(parking, b, 2);
  const auto second = w.add_building_need(parking, b, 2);  // another resident, same problem
  const auto other = w.add_building_need(safety, b, 0);    // minor: not adopted
  const std::uint32_t g = w.pop.building_grid[b];
  w.day(0);
  // The hook: the three unreported needs were raised at the meeting.
  EXPECT_EQ(w.councils.raised_today().size(), 3u);
  EXPECT_EQ(w.total("topics_raised"), 2);  // one topic per (type, place)
  for (int d = 1; d < 5; ++d) w.day(d);
  for (auto i : {first, second}) {
    const Need& n = w.needs[g].log[i];
    EXPECT_EQ(n.state, NeedState::Resolved);
    EXPECT_EQ(n.level, kLevelCouncil);
    EXPECT_GE(n.day_resolved, 1);
  }
  EXPECT_EQ(w.total("needs_fixed_by_councils"), 2);
  EXPECT_EQ(w.total("topics_implemented"), 1);
  EXPECT_EQ(w.needs[g].log[other].state, NeedState::Unreported);
  // A new problem of the same type at the same place is a new topic.
  w.add_building_need(parking, b, 2);
  w.day(5);
  EXPECT_EQ(w.total("topics_raised"), 3);
}

TEST(Councils, NoMoneyMeansAdoptedButNotImplemented) {
  auto overrides = kEager;
  overrides.push_back("topics.community_budget_per_year=0");
  overrides.push_back("topics.co_building_per_year=0");
  World w(overrides);
  const auto i = w.add_building_need(w.type("parking"), 0, 2);
  for (int d = 0; d < 10; ++d) w.day(d);
  EXPECT_EQ(w.total("topics_adopted"), 1);
  EXPECT_EQ(w.total("topics_implemented"), 0);
  EXPECT_EQ(w.needs[0].log[i].state, NeedState::Unreported);
}

TEST(Councils, NeedsWhereNoAttendeeLivesAreNotRaised) {
  auto overrides = kEager;
  overrides.push_back("councils.seats=1");
  World w(overrides);
  // Put a need in every building; one attendee can raise at most their own building's.
  for (std::uint32_t b = 0; b < w.pop.buildings(); ++b)
    w.add_building_need(w.type("parking"), b, 2);
  w.day(0);
  EXPECT_LE(w.councils.raised_today().size(), 1u);
  EXPECT_LE(w.total("topics_raised"), 1);
}

TEST(Councils, MeetingsFollowTheCalendar) {
  for (const auto& [calendar, expected] :
       std::vector<std::pair<std::string, double>>{{"none", 0},
                                                   {"weekly", 52},
                                                   {"days_with_4", 36},
                                                   {"monthly", 12},
                                                   {"consultation_month", 16}}) {
    World w({"councils.calendar=" + calendar});
    for (int d = 0; d < 365; ++d) w.day(d);
    EXPECT_EQ(w.total("council_meetings"), expected) << calendar;
  }
}

TEST(Councils, GridCouncilsMeetSeparatelyAndAttendTheirOwnGrid) {
  World w({"councils.level=grid", "councils.calendar=daily"});
  w.day(0);
  EXPECT_EQ(w.total("council_meetings"), w.pop.grids());
  EXPECT_EQ(w.councils.councils(), w.pop.grids());
  EXPECT_FALSE(w.councils.attendees().empty());
}

TEST(Councils, ParticipationRaisesTrustAndMakesTies) {
  World w({"councils.calendar=daily", "councils.seats=30", "councils.seat_attendance=1"});
  w.day(0);
  const auto& who = w.councils.attendees();
  ASSERT_EQ(who.size(), 30u);
  std::size_t with_ties = 0;
  for (auto r : who) {
    EXPECT_FLOAT_EQ(w.residents.trust[r], 0.5f + static_cast<float>(w.s.councils.trust_gain));
    for (auto p : w.social.ties.partners(r)) with_ties += p != kNoPartner;
  }
  EXPECT_GT(with_ties, 20u);
}

}  // namespace
}  // namespace commsim::model
