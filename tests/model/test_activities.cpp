// Activities and contact: ties are symmetric, bounded and wear away at both ends on the same day;
// activities respect eligibility and capacity; language classes raise proficiency; contact
// moves inter-group attitudes by its quality (Allport).

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/model/activities.hpp"
#include "sim/scenario/loader.hpp"
#include "support/tiny_community.hpp"

namespace commsim::model {
namespace {

using test::TinyCommunity;

TinyCommunity world(const std::vector<std::string>& overrides = {}) {
  test::TinyOptions options;
  options.yaml = "community: {households: 1200}\n";
  options.key = {5, 0};
  return test::tiny_community(overrides, options);
}

double cross_share(const TinyCommunity& w) {
  const auto& pop = w->pop;
  const auto& ties = w->social.ties;
  double all = 0, cross = 0;
  for (std::uint32_t r = 0; r < pop.residents(); ++r)
    for (auto p : ties.partners(r))
      if (p != kNoPartner) all += 1, cross += pop.resident_group[p] != pop.resident_group[r];
  return all > 0 ? cross / all : 0.0;
}

bool ties_symmetric(const TinyCommunity& w) {
  const auto& ties = w->social.ties;
  for (std::uint32_t r = 0; r < w->pop.residents(); ++r)
    for (std::uint32_t k = 0; k < ties.capacity(); ++k) {
      const auto p = ties.partners(r)[k];
      if (p != kNoPartner && ties.strength(p, r) != ties.strengths(r)[k]) return false;
    }
  return true;
}

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
  auto w = world();
  for (int d = 0; d < 100; ++d) {
    for (std::uint32_t g = 0; g < w->pop.grids(); ++g)
      w->contact.run(w->pop, GridId(g), Day(d), {5, 0}, w->social, w->recorder.grid_row(GridId(g)));
    w->recorder.end_day(Day(d));
  }
  EXPECT_TRUE(ties_symmetric(w));
  const double share = cross_share(w);
  EXPECT_GT(share, 0.3);
  // The recorded series agrees with the state (measured after the day's contacts).
  for (const auto& m : w->recorder.timeseries())
    if (m.name == "cross_group_tie_share") {
      EXPECT_NEAR(m.values[99], share, 1e-9);
    }
}

TEST(Contact, QualityDecidesTheDirectionOfAttitudeChange) {
  for (double quality : {0.0, 1.0}) {
    auto w = world(
        {"contact.base_positive=0", "contact.attitude_gain=0.1", "contact.attitude_loss=0.1"});
    Stream rng({5, 0}, purpose("test.meet"), 0, 0);
    std::uint32_t a = 0, b = 0;
    while (w->pop.resident_group[b] == w->pop.resident_group[a]) ++b;
    for (int k = 0; k < 20; ++k) w->social.meet(a, b, quality, true, w->pop, w.s.contact, rng);
    if (quality == 0.0)
      EXPECT_LT(w->social.attitude[a], 0.2f);
    else
      EXPECT_GT(w->social.attitude[a], 0.8f);
  }
}

TEST(Activities, LanguageClassTakesOnlyLowProficiencyUpToCapacityAndRaisesProficiency) {
  auto w = world();
  // The default language class: weekly on Saturdays (weekday 5); day 5 is a Saturday.
  const auto& events = w.s.activities.events;
  const auto it = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.kind == scenario::ActivityKind::LanguageClass;
  });
  ASSERT_NE(it, events.end());
  const std::size_t e = static_cast<std::size_t>(it - events.begin());
  double before = 0, low = 0;
  for (std::uint32_t r = 0; r < w->pop.residents(); ++r)
    if (w->pop.resident_proficiency[r] < 0.5f) before += w->pop.resident_proficiency[r], low += 1;
  ASSERT_GT(low, 0);
  const auto who = w->activities.attendees(e, w->pop, Day(5), {5, 0}, w->social, w->residents);
  EXPECT_LE(who.size(), static_cast<std::size_t>(it->capacity));
  EXPECT_FALSE(who.empty());
  for (auto r : who) EXPECT_LT(w->pop.resident_proficiency[r], 0.5f);
  const float p0 = w->pop.resident_proficiency[who[0]];
  w->activities.run(w->pop, Day(5), {5, 0}, w->volunteers, w->social, w->residents,
                    w->recorder.community_row());
  EXPECT_NEAR(w->pop.resident_proficiency[who[0]], p0 + it->proficiency_gain * (1 - p0), 1e-6);
}

TEST(Activities, FestivalsRaiseTheCrossGroupTieShare) {
  const auto share_after = [](const std::string& festivals) {
    auto w = world({"activities.festivals=" + festivals, "contact.neighbour_contact_rate=0.02"});
    for (int d = 0; d < 200; ++d) {
      for (std::uint32_t g = 0; g < w->pop.grids(); ++g)
        w->contact.run(w->pop, GridId(g), Day(d), {5, 0}, w->social,
                       w->recorder.grid_row(GridId(g)));
      w->activities.run(w->pop, Day(d), {5, 0}, w->volunteers, w->social, w->residents,
                        w->recorder.community_row());
      w->recorder.end_day(Day(d));
    }
    EXPECT_TRUE(ties_symmetric(w));
    return cross_share(w);
  };
  EXPECT_GT(share_after("monthly"), share_after("none") + 0.02);
}

}  // namespace
}  // namespace commsim::model
