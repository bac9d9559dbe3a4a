// The work-order table: opening an order makes the need's draws and queues it; the fixes a topic
// hands over close at the council level, open orders as resolved orders and hidden needs as fixed
// ones; an order closed late is one breach, counted by commitments.

#include <gtest/gtest.h>

#include <cmath>

#include "sim/model/work_orders.hpp"
#include "support/tiny_community.hpp"

namespace commsim::model {
namespace {

test::TinyCommunity baseline_world(const std::vector<std::string>& overrides = {}) {
  test::TinyOptions options;
  options.baseline = true;
  return test::tiny_community(overrides, options);
}

TEST(WorkOrders, OpeningMakesTheNeedsDrawsAndQueuesItOnce) {
  auto w = baseline_world();
  auto& orders = w->orders;
  const auto type = w.type("sanitation");
  const std::uint32_t resident = w->pop.grid_residents(GridId(1)).begin;
  const auto i = w.add_need(
      1, type, w->pop.household_stairwell[w->pop.resident_household[resident]], resident);
  w.open_order(1, i, kHotline, Day(2), 17.5);
  const WorkOrders& gs = orders.grids[1];
  EXPECT_EQ(gs.log[i].state, NeedState::Reported);
  EXPECT_EQ(gs.log[i].day_reported, 2);
  EXPECT_EQ(gs.log[i].channel, kHotline);
  EXPECT_EQ(gs.report_at[i], 17.5);
  EXPECT_TRUE(std::isnan(gs.resolved_at[i]));
  const NeedDraws d = need_draws(w->key, 1, i, type, orders.types());
  const NeedDraws read = orders.draws(1, i);
  EXPECT_EQ(read.service, d.service);
  EXPECT_EQ(read.on_spot, d.on_spot);
  EXPECT_EQ(read.community, d.community);
  EXPECT_EQ(read.whistle, d.whistle);
  EXPECT_EQ(read.respond, d.respond);
  EXPECT_EQ(gs.opened, 1u);
  ASSERT_EQ(gs.open.size(), 1u);
  EXPECT_EQ(gs.waiting.size(), 1u);
  // A need already reported is not opened again.
  EXPECT_FALSE(orders.open({1, i}, kApp, Day(3), 30.0, w->recorder.grid_row(GridId(1))));
  EXPECT_EQ(gs.opened, 1u);
  EXPECT_EQ(gs.log[i].channel, kHotline);
}

TEST(WorkOrders, CouncilFixesCloseOpenOrdersAndHiddenNeedsAtTheCouncilLevel) {
  auto w = baseline_world();
  auto& orders = w->orders;
  const auto parking = w.type("parking");
  const std::uint32_t b = w->pop.grid_buildings(GridId(0)).begin;
  const std::uint32_t r = w->pop.building_residents(b).begin;
  const auto reported = w.add_need(0, parking, b, r);
  const auto hidden = w.add_need(0, parking, b, r + 1);
  const auto other = w.add_need(0, parking, b, r + 2);
  w.open_order(0, reported, kHotline, Day(0), 1.0);
  w.open_order(0, other, kHotline, Day(0), 2.0);
  orders.grids[0].fixed = {hidden, reported};
  orders.close_council_fixes(w->pop, Day(4), w->residents, w->recorder.community_row());
  const WorkOrders& gs = orders.grids[0];
  EXPECT_TRUE(gs.fixed.empty());
  EXPECT_EQ(gs.log[reported].state, NeedState::Resolved);
  EXPECT_EQ(gs.log[reported].level, kLevelCouncil);
  EXPECT_EQ(gs.log[reported].handler, kCouncilHandler);
  EXPECT_EQ(gs.log[reported].day_resolved, 4);
  EXPECT_EQ(gs.resolved_at[reported], 5 * orders.hours());  // the end of the day
  EXPECT_EQ(gs.log[hidden].state, NeedState::Resolved);
  EXPECT_EQ(gs.log[hidden].level, kLevelCouncil);
  EXPECT_EQ(gs.log[hidden].day_reported, -1);
  EXPECT_EQ(gs.log[other].state, NeedState::Reported);
  // Only the open order counts as a resolved order; the hidden need never was one.
  EXPECT_EQ(gs.resolved, 1u);
  ASSERT_EQ(gs.durations.size(), 1u);
  EXPECT_DOUBLE_EQ(gs.durations[0], (5 * orders.hours() - 1.0) / orders.hours());
  ASSERT_EQ(gs.open.size(), 1u);
  EXPECT_EQ(gs.open[0], other);
  // The events table says a council closed both.
  const auto table = orders.work_order_table(w->pop, w->need_types);
  const auto& handler = std::get<std::vector<std::int64_t>>(table.columns.at(9).data);
  ASSERT_EQ(table.columns.at(9).name, "handler");
  EXPECT_EQ(handler.at(reported), kCouncilHandler);
  EXPECT_EQ(handler.at(hidden), kCouncilHandler);
  EXPECT_EQ(handler.at(other), -1);
}

TEST(WorkOrders, AnOrderClosedLateIsOneBreachCountedByCommitments) {
  auto w = baseline_world({"casework.types.0.commitment_days=0"});
  auto& orders = w->orders;
  const auto& pop = w->pop;
  const auto type = w.type(w.s.casework.types.at(0).name);
  std::uint32_t r = pop.grid_residents(GridId(0)).begin;
  while (pop.resident_vacant(r)) ++r;
  const std::uint32_t household = pop.resident_household[r];
  const std::uint32_t stairwell = pop.household_stairwell[household];
  const std::uint32_t places[] = {r, household, stairwell, pop.stairwell_building[stairwell]};
  const std::uint32_t place = places[static_cast<int>(w.s.needs.types[type].scope)];
  const auto on_time = w.add_need(0, type, place, r);
  const auto late = w.add_need(0, type, place, r);
  w.open_order(0, on_time, kHotline, Day(0), 1.0);
  w.open_order(0, late, kHotline, Day(0), 1.0);
  const auto row = w->recorder.grid_row(GridId(0));
  orders.close(w->pop, 0, on_time, kLevelGrid, kFullTime, Day(0), 1.0, w->residents, row);
  orders.close(w->pop, 0, late, kLevelGrid, kFullTime, Day(0), 3.0, w->residents, row);
  EXPECT_EQ(orders.grids[0].late_closed, 1u);
  w->commitments.late_closes(GridId(0), orders, row);
  EXPECT_EQ(orders.grids[0].late_closed, 0u);
  w->recorder.end_day(Day(0));
  EXPECT_EQ(w.total("commitment_breaches"), 1.0);
  EXPECT_EQ(w.total("work_orders_resolved"), 2.0);
}

}  // namespace
}  // namespace commsim::model
