// End to end: the consultation, contact and embedding policy variants in scenarios/policies/
// move the outcomes in the directions that must hold, over three replications each (five for the
// weekly and monthly councils, compared as pairs; seeds are the replications; the same seed gives
// both arms the same residents and the same draws of needs).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

const output::Metric& series(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.timeseries)
    if (m.name == name) return m;
  throw std::runtime_error("no time series " + name);
}
const output::Metric& summary(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.summaries)
    if (m.name == name) return m;
  throw std::runtime_error("no summary " + name);
}
double total(const RunFile& f, const std::string& name) {
  double s = 0;
  for (double v : series(f, name).values) s += v;
  return s;
}
// An outcome: a summary's sum over its cells (needs_prevented_by_fixes is by need type).
auto summary_total(const char* name) {
  return [name](const RunFile& f) {
    double s = 0;
    for (double v : summary(f, name).values) s += v;
    return s;
  };
}

class ConsultationPolicies : public ::testing::Test {
 protected:
  static std::map<std::string, std::vector<RunFile>>& runs() {
    static std::map<std::string, std::vector<RunFile>> r;
    return r;
  }
  // Seeds per arm: five for the calendars compared as pairs with a confidence interval.
  static int replications(const std::string& name) {
    return name == "council_weekly" || name == "council_monthly" || is_small(name) ? 5 : 3;
  }
  // "<policy>_small": the policy in a community of 4 grids (1,680 households) with the same
  // council money, run for two years (--days 730).
  static bool is_small(const std::string& name) {
    return name.size() > 6 && name.compare(name.size() - 6, 6, "_small") == 0;
  }
  // Runs scenarios/policies/<name>.yaml for seeds 1..replications (once per test binary).
  static const std::vector<RunFile>& arm(const std::string& name) {
    auto& r = runs();
    if (auto it = r.find(name); it != r.end()) return it->second;
    TempDir dir;
    std::vector<RunFile> files;
    for (int k = 1; k <= replications(name); ++k) {
      const std::string seed = std::to_string(k);
      const auto out = dir / (name + seed + ".h5");
      const std::string file = is_small(name) ? name.substr(0, name.size() - 6) : name;
      std::vector<std::string> args = {
          "run",    "scenarios/policies/" + file + ".yaml", "-o", out.string(), "--seed", seed,
          "--quiet"};
      if (is_small(name))
        args.insert(args.end(), {"--days", "730", "--set", "community.households=1680"});
      const auto res = run_commsim(args);
      if (res.exit_code != 0) throw std::runtime_error(name + ": " + res.err);
      files.push_back(read_run_file(out));
    }
    return r[name] = std::move(files);
  }
  template <class F>
  static double mean(const std::string& name, F f) {
    double s = 0;
    for (const auto& run : arm(name)) s += f(run);
    return s / static_cast<double>(arm(name).size());
  }
  // The paired differences f(a) - f(b) over the seeds both arms ran: mean and the half-width of
  // its 95% confidence interval (Student t).
  template <class F>
  static std::pair<double, double> paired(const std::string& a, const std::string& b, F f) {
    const std::size_t n = std::min(arm(a).size(), arm(b).size());
    std::vector<double> d;
    for (std::size_t k = 0; k < n; ++k) d.push_back(f(arm(a)[k]) - f(arm(b)[k]));
    double m = 0, ss = 0;
    for (double x : d) m += x;
    m /= static_cast<double>(n);
    for (double x : d) ss += (x - m) * (x - m);
    const double t975[] = {0, 0, 12.706, 4.303, 3.182, 2.776};  // by n, n - 1 degrees of freedom
    return {m, t975[n] * std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n))};
  }
};

TEST_F(ConsultationPolicies, CalendarsHoldTheirMeetingsAndMoreMeetingsImplementMoreTopics) {
  EXPECT_EQ(total(arm("council_weekly")[0], "council_meetings"), 52);
  EXPECT_EQ(total(arm("council_days_with_4")[0], "council_meetings"), 36);
  EXPECT_EQ(total(arm("council_monthly")[0], "council_meetings"), 12);
  const auto implemented = [](const RunFile& f) { return total(f, "topics_implemented"); };
  const auto on_agenda = [](const RunFile& f) { return total(f, "topics_on_agenda"); };
  EXPECT_GT(mean("council_weekly", on_agenda), mean("council_days_with_4", on_agenda));
  EXPECT_GT(mean("council_days_with_4", on_agenda), mean("council_monthly", on_agenda));
  // Weekly and 逢四 councils adopt more than the yearly budget (160,000 yuan, ~21-27 topics
  // after the micro-wishes) can pay, so their lead in implemented topics is bounded by money: they
  // spend clearly more, and implement a few topics more, than a monthly council.
  EXPECT_GT(mean("council_weekly", implemented), mean("council_monthly", implemented) + 3);
  EXPECT_GT(mean("council_days_with_4", implemented), mean("council_monthly", implemented) + 3);
  const auto spent = [](const RunFile& f) { return total(f, "consultation_spending"); };
  EXPECT_GT(mean("council_weekly", spent), mean("council_monthly", spent) + 20000);
  EXPECT_GT(mean("council_days_with_4", spent), mean("council_monthly", spent) + 20000);
  // Concordance: what is implemented was adopted, what was adopted was on an agenda.
  for (const auto& f : arm("council_weekly")) {
    EXPECT_LE(total(f, "topics_implemented"), total(f, "topics_adopted"));
    EXPECT_LE(total(f, "topics_adopted"), total(f, "topics_on_agenda"));
    EXPECT_EQ(summary(f, "topics_implemented").values[0], total(f, "topics_implemented"));
  }
}

// A fix lowers its need's rate at its place for a year, so a council that implements more fixes
// lowers the recurrence of shared problems: the expected shared needs at the day's rates (free of
// the arrival draws, which both arms share) and the shared needs that arose. In the baseline,
// weekly councils are held back by money (the yearly budget pays ~21-27 topics after the
// micro-wishes), yet they implement clearly more topics than monthly ones; the recurrence's fall
// is required beyond its paired 95% CI against no council, and in direction against monthly.
TEST_F(ConsultationPolicies, WeeklyCouncilsLowerTheRecurrenceOfSharedNeedsBeyondNoise) {
  const auto [fixes, fixes_ci] =
      paired("council_weekly", "council_monthly", summary_total("topics_implemented"));
  EXPECT_GT(fixes - fixes_ci, 0) << fixes << " +- " << fixes_ci;
  // In the baseline, weekly - monthly recurrence is -4.5 +- 8.5 over 10 paired seeds: money caps
  // the weekly council's fixes (next test), so only its direction is required here; councils at
  // all (weekly against none) lower it beyond the paired interval, and weekly against monthly
  // does where money does not bind (WeeklyCouncilsLowerRecurrenceBeyondNoiseWhereMoneyDoesNotBind).
  const auto [expected, expected_ci] =
      paired("council_weekly", "council_monthly", summary_total("shared_needs_expected"));
  EXPECT_LT(expected, 0) << expected << " +- " << expected_ci;
  const auto [against_none, against_none_ci] =
      paired("council_weekly", "council_none", summary_total("shared_needs_expected"));
  EXPECT_LT(against_none + against_none_ci, 0) << against_none << " +- " << against_none_ci;
  const auto [prevented, prevented_ci] =
      paired("council_weekly", "council_monthly", summary_total("needs_prevented_by_fixes"));
  EXPECT_GT(prevented, 0) << prevented << " +- " << prevented_ci;
  // Every prevented need is one the arrival draws would otherwise have made: with the same draws,
  // the shared needs that arose differ by the prevented ones (the fixed places' other draws agree).
  const auto shared = summary_total("shared_needs_arisen");
  const auto prevented_of = summary_total("needs_prevented_by_fixes");
  for (std::size_t k = 0; k < arm("council_monthly").size(); ++k) {
    const auto& w = arm("council_weekly")[k];
    const auto& m = arm("council_monthly")[k];
    EXPECT_EQ(shared(w) + prevented_of(w), shared(m) + prevented_of(m)) << "seed " << k + 1;
  }
  // Without councils nothing is fixed or prevented, and recurrence is highest.
  for (const auto& f : arm("council_none")) {
    EXPECT_EQ(summary(f, "topics_implemented").values[0], 0);
    EXPECT_EQ(prevented_of(f), 0);
  }
  const auto [off, off_ci] =
      paired("council_weekly", "council_none", summary_total("shared_needs_expected"));
  EXPECT_LT(off + off_ci, 0) << off << " +- " << off_ci;
}

// Why weekly councils barely beat monthly ones in the baseline: money, not meetings. A weekly
// council adopts ~75 topics a year and the yearly 160,000 yuan pays ~25 of them (it spends all
// of it), a monthly one adopts ~20 (its 36 agenda places) and pays them all: 25 against 20 fixes
// a year, each lowering its place's rate for a year, so in one year the recurrence differs by a
// few needs, within the noise of which places were fixed. Where the same money meets fewer
// places - a community of 4 grids (1,680 households), two years, 5 paired seeds - a monthly
// council is held back by its agenda (~33 fixes in two years) and a weekly one fixes nearly twice
// as many (~60): the expected shared needs (the recurrence rate at the day's rates, free of the
// arrival draws) fall by 27 needs (10 paired seeds: -27.0 +- 3.4, each pair -17.5 to -32.5), far
// beyond the paired 95% interval.
TEST_F(ConsultationPolicies, WeeklyCouncilsLowerRecurrenceBeyondNoiseWhereMoneyDoesNotBind) {
  const auto [fixes, fixes_ci] =
      paired("council_weekly_small", "council_monthly_small", summary_total("topics_implemented"));
  EXPECT_GT(fixes - fixes_ci, 10) << fixes << " +- " << fixes_ci;
  const auto [expected, expected_ci] = paired("council_weekly_small", "council_monthly_small",
                                              summary_total("shared_needs_expected"));
  EXPECT_LT(expected + expected_ci, 0) << expected << " +- " << expected_ci;
  // More than 3 standard errors of the paired mean (the half-width over t(0.975, 4 df)).
  EXPECT_LT(expected, -3 * expected_ci / 2.776) << expected << " +- " << expected_ci;
  const auto [prevented, prevented_ci] = paired("council_weekly_small", "council_monthly_small",
                                                summary_total("needs_prevented_by_fixes"));
  EXPECT_GT(prevented - prevented_ci, 0) << prevented << " +- " << prevented_ci;
  // The monthly council is held back by its agenda, not by money: it leaves money unspent.
  // (Two years of 160,000 yuan; it spends well under it, micro-wishes included.)
  for (const auto& f : arm("council_monthly_small"))
    EXPECT_LT(summary_total("consultation_spending")(f), 0.8 * 2 * 160000);
}

// "Every group has a voice": one seat per group, then proportional. With 15 seats the Mongol and
// Tibetan groups (2% each) attend under proportional_min_one in every run.
TEST_F(ConsultationPolicies, ProportionalMinOneGivesEveryGroupAttendance) {
  for (const auto& f : arm("seats_proportional_min_one")) {
    const auto& attendance = summary(f, "council_attendance").values;
    ASSERT_EQ(attendance.size(), 5u);
    for (std::size_t g = 0; g < attendance.size(); ++g) EXPECT_GT(attendance[g], 0) << g;
  }
  // The smallest groups attend more often than under plain proportional seats.
  const auto smallest = [](const RunFile& f) {
    const auto& a = summary(f, "council_attendance").values;
    return *std::min_element(a.begin(), a.end());
  };
  EXPECT_GT(mean("seats_proportional_min_one", smallest), mean("seats_proportional", smallest));
}

TEST_F(ConsultationPolicies, ProportionalSeatsRepresentTheGroupsMoreCloselyThanRandomSeats) {
  // Mean over meetings of the L1 distance between the attendees' and the residents' group shares.
  const auto distance = [](const RunFile& f) {
    const auto& residents = summary(f, "residents").values;
    double all = 0;
    for (double v : residents) all += v;
    const auto& a = series(f, "council_attendance");
    const std::size_t groups = a.cells();
    double sum = 0, meetings = 0;
    for (std::int64_t d = 0; d < f.result.days; ++d) {
      double n = 0;
      for (std::size_t g = 0; g < groups; ++g) n += a.values[d * groups + g];
      if (n == 0) continue;
      for (std::size_t g = 0; g < groups; ++g)
        sum += std::abs(a.values[d * groups + g] / n - residents[g] / all);
      meetings += 1;
    }
    return sum / meetings;
  };
  EXPECT_LT(mean("seats_proportional", distance), mean("seats_random", distance) - 0.05);
}

TEST_F(ConsultationPolicies, FestivalsRaiseTheCrossGroupTieShare) {
  const auto mean_share = [](const RunFile& f) {
    const auto& v = series(f, "cross_group_tie_share").values;
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  EXPECT_GT(mean("festivals_monthly", mean_share), mean("festivals_none", mean_share) + 0.01);
  const auto attendance = [](const RunFile& f) { return total(f, "activity_attendance"); };
  EXPECT_GT(mean("festivals_monthly", attendance), mean("festivals_none", attendance));
  // Common random numbers: the festival lever changes no arrival draw. Which needs arise may
  // differ: a council fix lowers its need's rate where it is implemented, and which topics
  // councils take up follows the open orders, which a burn-in of two years lets the arms move
  // apart; the needs that arose plus those a fix prevented, by day and need type, are the draws'
  // (test::drawn_needs).
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_EQ(test::drawn_needs(arm("festivals_monthly")[k], true),
              test::drawn_needs(arm("festivals_none")[k], true))
        << k;
}

TEST_F(ConsultationPolicies, MixingAllocationGivesALowerDissimilarityThanFreeChoice) {
  const auto last = [](const RunFile& f) { return series(f, "dissimilarity_index").values.back(); };
  EXPECT_LT(mean("housing_mixing", last), mean("housing_free_choice", last) - 0.03);
  for (const auto& f : arm("housing_mixing"))
    EXPECT_EQ(summary(f, "dissimilarity_index_final").values[0], last(f));
}

}  // namespace
}  // namespace commsim::test
