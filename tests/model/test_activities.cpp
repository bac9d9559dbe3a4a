// Activities and contact: ties are symmetric, bounded and wear away at both ends on the same day;
// activities respect eligibility and capacity; language classes raise proficiency; contact
// moves inter-group attitudes by its quality (Allport).

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/model/activities.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::model {
namespace {

struct World {
  scenario::Scenario s;
  population::Population pop;
  output::Recorder recorder;
  SocialState social;
  ResidentState residents;
  NeighbourContact contact;
  Activities activities;
  explicit World(const std::vector<std::string>& overrides = {})
      : s(scenario::load_scenario_text("community: {households: 1200}\n", "s.yaml", overrides)
              .scenario),
        pop(population::build_population(s.community, {5, 0})),
        recorder(pop.grids(), s.run.days),
        social(s, pop, {5, 0}),
        contact(s.contact, pop, recorder),
        activities(s, pop, recorder) {
    residents.resize(pop.residents(), 0.5f);
    recorder.start();
  }
  double cross_share() const {
    double ties = 0, cross = 0;
    for (std::uint32_t r = 0; r < pop.residents(); ++r)
      for (auto p : social.ties.partners(r))
        if (p != kNoPartner) ties += 1, cross += pop.resident_group[p] != pop.resident_group[r];
    return ties > 0 ? cross / ties : 0.0;
  }
  bool ties_symmetric() const {
    for (std::uint32_t r = 0; r < pop.residents(); ++r)
      for (std::uint32_t k = 0; k < social.ties.capacity(); ++k) {
        const auto p = social.ties.partners(r)[k];
        if (p != kNoPartner && social.ties.strength(p, r) != social.ties.strengths(r)[k])
          return false;
      }
    return true;
  }
};

TEST(Ties, SymmetricBoundedEvictingDecayingAndMoving) {
  Ties t;
  t.resize(10, 2);
  EXPECT_TRUE(t.strengthen(0, 1, 0.3f, false));
  EXPECT_TRUE(t.strengthen(0, 1, 0.3f, false));
  EXPECT_FLOAT_EQ(t.strength(0, 1), 0.6f);
  EXPECT_FLOAT_EQ(t.strength(1, 0), 0.6f);
  EXPECT_TRUE(t.strengthen(0, 2, 0.1f, false));
  EXPECT_FALSE(t.strengthen(0, 3, 0.5f, false)) << "0 is full and may not evict";
  EXPECT_TRUE(t.strengthen(0, 3, 0.5f, true)) << "evicts the weakest (0-2)";
  EXPECT_EQ(t.strength(0, 2), 0.0f);
  EXPECT_EQ(t.strength(2, 0), 0.0f);
  EXPECT_FALSE(t.strengthen(0, 4, 0.2f, true)) << "weakest (0.5) is not weaker than the gain";
  for (std::uint32_t r : {0u, 1u, 3u}) t.decay(r, 0.46f, 0.05f);
  EXPECT_EQ(t.strength(0, 3), 0.0f);
  EXPECT_EQ(t.strength(3, 0), 0.0f);
  EXPECT_NEAR(t.strength(0, 1), 0.14f, 1e-6);
  t.move(0, 7);
  EXPECT_EQ(t.strength(0, 1), 0.0f);
  EXPECT_NEAR(t.strength(7, 1), 0.14f, 1e-6);
  EXPECT_NEAR(t.strength(1, 7), 0.14f, 1e-6);
  t.clear(7);
  EXPECT_EQ(t.strength(1, 7), 0.0f);
}

TEST(Contact, NeighbourContactKeepsTiesSymmetricAndRecordsTheShare) {
  World w;
  for (int d = 0; d < 100; ++d) {
    for (std::uint32_t g = 0; g < w.pop.grids(); ++g)
      w.contact.run(w.pop, GridId(g), Day(d), {5, 0}, w.social, w.recorder.grid_row(GridId(g)));
    w.recorder.end_day(Day(d));
  }
  EXPECT_TRUE(w.ties_symmetric());
  const double share = w.cross_share();
  EXPECT_GT(share, 0.3);
  // The recorded series agrees with the state (measured after the day's contacts).
  for (const auto& m : w.recorder.timeseries())
    if (m.name == "cross_group_tie_share") {
      EXPECT_NEAR(m.values[99], share, 1e-9);
    }
}

TEST(Contact, QualityDecidesTheDirectionOfAttitudeChange) {
  for (double quality : {0.0, 1.0}) {
    World w({"contact.base_positive=0", "contact.attitude_gain=0.1", "contact.attitude_loss=0.1"});
    Stream rng({5, 0}, purpose("test.meet"), 0, 0);
    std::uint32_t a = 0, b = 0;
    while (w.pop.resident_group[b] == w.pop.resident_group[a]) ++b;
    for (int k = 0; k < 20; ++k) w.social.meet(a, b, quality, true, w.pop, w.s.contact, rng);
    if (quality == 0.0)
      EXPECT_LT(w.social.attitude[a], 0.2f);
    else
      EXPECT_GT(w.social.attitude[a], 0.8f);
  }
}

TEST(Activities, LanguageClassTakesOnlyLowProficiencyUpToCapacityAndRaisesProficiency) {
  World w;
  // The default language class: weekly on Saturdays (weekday 5); day 5 is a Saturday.
  const auto& events = w.s.activities.events;
  const auto it = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.kind == scenario::ActivityKind::LanguageClass;
  });
  ASSERT_NE(it, events.end());
  const std::size_t e = static_cast<std::size_t>(it - events.begin());
  double before = 0, low = 0;
  for (std::uint32_t r = 0; r < w.pop.residents(); ++r)
    if (w.pop.resident_proficiency[r] < 0.5f) before += w.pop.resident_proficiency[r], low += 1;
  ASSERT_GT(low, 0);
  const auto who = w.activities.attendees(e, w.pop, Day(5), {5, 0}, w.social, w.residents);
  EXPECT_LE(who.size(), static_cast<std::size_t>(it->capacity));
  EXPECT_FALSE(who.empty());
  for (auto r : who) EXPECT_LT(w.pop.resident_proficiency[r], 0.5f);
  const float p0 = w.pop.resident_proficiency[who[0]];
  w.activities.run(w.pop, Day(5), {5, 0}, w.social, w.residents, w.recorder.community_row());
  EXPECT_NEAR(w.pop.resident_proficiency[who[0]], p0 + it->proficiency_gain * (1 - p0), 1e-6);
}

TEST(Activities, FestivalsRaiseTheCrossGroupTieShare) {
  const auto share_after = [](const std::string& festivals) {
    World w({"activities.festivals=" + festivals, "contact.neighbour_contact_rate=0.02"});
    for (int d = 0; d < 200; ++d) {
      for (std::uint32_t g = 0; g < w.pop.grids(); ++g)
        w.contact.run(w.pop, GridId(g), Day(d), {5, 0}, w.social, w.recorder.grid_row(GridId(g)));
      w.activities.run(w.pop, Day(d), {5, 0}, w.social, w.residents, w.recorder.community_row());
      w.recorder.end_day(Day(d));
    }
    EXPECT_TRUE(w.ties_symmetric());
    return w.cross_share();
  };
  EXPECT_GT(share_after("monthly"), share_after("none") + 0.02);
}

}  // namespace
}  // namespace commsim::model
