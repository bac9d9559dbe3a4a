// Escalation past the community: the subdistrict whistle, departments' responses, the grid
// worker's follow-up and re-whistles; the "unresolved" well-being event; the end-of-run
// summaries and their concordance with the series.

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

RunFile run(const TempDir& dir, const std::string& name, const std::vector<std::string>& sets) {
  const auto out = dir / (name + ".h5");
  // No burn-in: these tests follow orders from a fresh start on day 0 (and stay cheap).
  std::vector<std::string> args = {
      "run",   "scenarios/baseline.yaml", "-o", out.string(), "--quiet",
      "--set", "run.burn_in_days=0"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const auto r = run_commsim(args);
  if (r.exit_code != 0) throw std::runtime_error(r.err);
  return read_run_file(out);
}

const output::Metric& metric(const std::vector<output::Metric>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return m;
  throw std::runtime_error("no metric " + name);
}
double summary(const RunFile& f, const std::string& name) {
  return metric(f.result.summaries, name).values.at(0);
}
double summary_sum(const RunFile& f, const std::string& name) {
  const auto& v = metric(f.result.summaries, name).values;
  return std::accumulate(v.begin(), v.end(), 0.0);
}
double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
// Daily totals of a series over its cells.
std::vector<double> daily(const RunFile& f, const std::string& name) {
  const auto& m = metric(f.result.timeseries, name);
  const std::size_t cells = m.cells(), days = m.values.size() / cells;
  std::vector<double> out(days, 0.0);
  for (std::size_t d = 0; d < days; ++d)
    for (std::size_t c = 0; c < cells; ++c) out[d] += m.values[d * cells + c];
  return out;
}
std::vector<double> cumulative(std::vector<double> v) {
  std::partial_sum(v.begin(), v.end(), v.begin());
  return v;
}

TEST(Escalation, MoreWhistleRoundsCloseMoreOrdersAndOnlyThenRewhistle) {
  TempDir dir;
  const auto one = run(dir, "one", {"casework.max_whistles=1"});
  const auto three = run(dir, "three", {"casework.max_whistles=3"});
  EXPECT_GT(summary(one, "follow_ups"), 0);
  EXPECT_EQ(summary(one, "rewhistles"), 0);
  EXPECT_GT(summary(three, "rewhistles"), 0);
  // Every whistle is a first whistle or a re-whistle; re-whistles come only from follow-ups.
  EXPECT_LE(summary(three, "rewhistles"), summary(three, "follow_ups"));
  EXPECT_GT(summary(three, "closure_rate"), summary(one, "closure_rate") + 0.01);
  // An order no round solved is closed unresolved after its last round: fewer with more rounds.
  EXPECT_LT(summary(three, "work_orders_closed_unresolved"),
            summary(one, "work_orders_closed_unresolved"));
}

TEST(Escalation, FollowUpComesFollowUpDaysAfterAnUnsuccessfulResponse) {
  TempDir dir;
  // Departments never solve, answer exactly 2 days after the whistle (the per-kind spreads, 0,
  // override the pooled one); follow-up 5 days later.
  const auto f =
      run(dir, "fu",
          {"casework.department_response=0", "casework.max_whistles=1",
           "casework.whistle_delay_sigma=3", "casework.whistle_delay_sigma_by_kind=[0, 0, 0]",
           "casework.whistle_delay_days.0=2", "casework.whistle_delay_days.1=2",
           "casework.whistle_delay_days.2=2", "casework.follow_up_days=5"});
  const auto whistles = cumulative(daily(f, "whistles"));
  const auto follow_ups = cumulative(daily(f, "follow_ups"));
  EXPECT_EQ(summary(f, "rewhistles"), 0);
  ASSERT_GT(summary(f, "follow_ups"), 0);
  EXPECT_EQ(summary(f, "follow_ups"), follow_ups.back());
  // A whistle at centre time on day t is answered on day t + 2 (t + 3 when the centre's day ran
  // over), followed up on day t + 7 (t + 8): never earlier, and none missed later (councils may
  // fix a few whistled orders first).
  const double councils = summary(f, "needs_fixed_by_councils");
  for (std::size_t t = 0; t < follow_ups.size(); ++t) {
    EXPECT_LE(follow_ups[t], t >= 7 ? whistles[t - 7] : 0.0) << "day " << t;
    EXPECT_GE(follow_ups[t] + councils, t >= 9 ? whistles[t - 9] : 0.0) << "day " << t;
  }
  // Nothing is solved at the subdistrict.
  EXPECT_EQ(metric(f.result.summaries, "work_orders_resolved").values.at(2), 0);
}

TEST(Escalation, DepartmentsThatAlwaysSolveNeedNoFollowUp) {
  TempDir dir;
  const auto f = run(dir, "solve", {"casework.department_response=1", "casework.max_whistles=3"});
  EXPECT_GT(summary_sum(f, "whistles"), 0);
  EXPECT_EQ(summary(f, "follow_ups"), 0);
  EXPECT_EQ(summary(f, "rewhistles"), 0);
  // Every whistled order is closed by its department, but for those whistled in the last weeks
  // (answers take a lognormal 1-45 days) and the few a council topic fixed first.
  const double sub = metric(f.result.summaries, "work_orders_resolved").values.at(2);
  const auto whistles = daily(f, "whistles");
  const double recent = std::accumulate(whistles.end() - 60, whistles.end(), 0.0);
  EXPECT_LE(sub, summary_sum(f, "whistles"));
  EXPECT_GE(sub + recent + summary(f, "needs_fixed_by_councils"), summary_sum(f, "whistles"));
}

TEST(Escalation, PerKindResponseOverridesThePooledOne) {
  TempDir dir;
  // Only emergency whistles move departments: the subdistrict still closes some orders, fewer
  // than when every kind responds.
  const auto all = run(dir, "all", {"casework.department_response=1"});
  const auto emergency =
      run(dir, "emergency",
          {"casework.department_response=1", "casework.department_response_by_kind=[0, 0, 1]"});
  const double sub_all = metric(all.result.summaries, "work_orders_resolved").values.at(2);
  const double sub_em = metric(emergency.result.summaries, "work_orders_resolved").values.at(2);
  EXPECT_GT(sub_em, 0);
  EXPECT_LT(sub_em, sub_all);
  EXPECT_GT(summary(emergency, "follow_ups"), 0);
}

TEST(Escalation, UnresolvedOrdersWearTrustDown) {
  TempDir dir;
  const std::vector<std::string> stuck = {"casework.department_response=0"};
  auto with = stuck, without = stuck;
  with.push_back("wellbeing.overdue_weight=0.01");
  without.push_back("wellbeing.overdue_weight=0");
  const auto a = run(dir, "with", with);
  const auto b = run(dir, "without", without);
  EXPECT_LT(summary_sum(a, "trust_final"), summary_sum(b, "trust_final"));
  EXPECT_LT(summary_sum(a, "sense_of_gain_final"), summary_sum(b, "sense_of_gain_final"));
  EXPECT_GT(mean(daily(a, "work_orders_unresolved")), 0);
}

TEST(Escalation, UnresolvedDecayActsOnlyPastTheCommitment) {
  TempDir dir;
  // No order can pass a 365-day commitment in a 200-day run: the decay must change nothing.
  std::vector<std::string> late = {"run.days=200", "casework.commitment_days=365"};
  for (int t = 0; t < 5; ++t)
    late.push_back("casework.types." + std::to_string(t) + ".commitment_days=365");
  auto with = late, without = late;
  with.push_back("wellbeing.overdue_weight=0.05");
  without.push_back("wellbeing.overdue_weight=0");
  const auto a = run(dir, "with", with);
  const auto b = run(dir, "without", without);
  EXPECT_EQ(summary(a, "work_orders_unresolved"), 0);
  EXPECT_TRUE(same_datasets(a.result, b.result));
}

TEST(Escalation, EndOfRunSummariesAgreeWithTheSeries) {
  TempDir dir;
  const auto f = run(dir, "base", {"output.work_order_events=true"});
  const double opened = summary(f, "work_orders_opened");
  const double resolved = summary_sum(f, "work_orders_resolved");
  // Without burn-in every open order was opened on a recorded day.
  EXPECT_EQ(summary(f, "work_orders_open_end"),
            opened - resolved - summary(f, "work_orders_closed_unresolved"));
  EXPECT_EQ(summary(f, "work_orders_open_end"), daily(f, "work_orders_open").back());
  EXPECT_NEAR(summary(f, "unresolved_share"), 1 - summary(f, "closure_rate"), 1e-12);
  EXPECT_LE(summary(f, "work_orders_unresolved"), summary(f, "work_orders_open_end"));
  EXPECT_GT(summary(f, "work_orders_unresolved"), 0);
  EXPECT_EQ(summary(f, "needs_hidden_end"), daily(f, "needs_hidden").back());
  EXPECT_EQ(summary(f, "follow_ups"), cumulative(daily(f, "follow_ups")).back());
  EXPECT_EQ(summary(f, "rewhistles"), cumulative(daily(f, "rewhistles")).back());
  EXPECT_EQ(summary_sum(f, "whistles"), cumulative(daily(f, "whistles")).back());
  // Every re-whistle follows a follow-up; with the baseline's two rounds, the follow-ups after
  // the second response re-whistle nothing.
  EXPECT_GT(summary(f, "follow_ups"), summary(f, "rewhistles"));
  EXPECT_GT(summary(f, "rewhistles"), 0);
  // The per-order table: reported rows still open at the end, hidden rows.
  ASSERT_EQ(f.result.tables.size(), 1u);
  const auto& t = f.result.tables[0];
  const auto col = [&](const std::string& name) -> const std::vector<std::int64_t>& {
    for (const auto& c : t.columns)
      if (c.name == name) return std::get<std::vector<std::int64_t>>(c.data);
    throw std::runtime_error("no column " + name);
  };
  const auto& reported = col("day_reported");
  const auto& closed = col("day_resolved");
  const auto& ended = col("day_closed_unresolved");
  double open_rows = 0, hidden_rows = 0;
  for (std::size_t k = 0; k < reported.size(); ++k) {
    open_rows += reported[k] >= 0 && closed[k] < 0 && ended[k] < 0;
    hidden_rows += reported[k] < 0 && closed[k] < 0;
  }
  EXPECT_EQ(summary(f, "work_orders_open_end"), open_rows);
  EXPECT_EQ(summary(f, "needs_hidden_end"), hidden_rows);
  const double u = summary(f, "staff_utilisation");
  EXPECT_GT(u, 0);
  EXPECT_LT(u, 1);
}

}  // namespace
}  // namespace commsim::test
