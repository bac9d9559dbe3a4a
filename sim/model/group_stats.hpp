#pragma once
// By-group statistics of one measure with their sampling noise: each group's count, mean and
// standard error, and each group against the rest of the community (the mean difference, its
// standard error and a 95% confidence interval).
//
// Why not the highest minus the lowest group mean: with groups of a few hundred residents the
// range of five noisy means is positive even when the groups are identical (its expectation grows
// with the noise and the number of groups), so it reads noise as a gap. A group against the rest
// is unbiased under identical groups, and its interval says how much of it is noise.
//
// Residents are not independent draws: a household, a stairwell or a building shares needs, fixes
// and a grid worker. Observations are therefore added by cluster (the caller chooses the unit,
// e.g. a building) and the standard errors are cluster-robust (linearised ratio estimator,
// Cameron & Miller 2015, J. Human Resources 50(2), with the small-sample factor C/(C-1)); the
// interval uses Student's t with (effective clusters - 1) degrees of freedom, the effective
// number of clusters of a group being Kish's (sum_c n_gc)^2 / sum_c n_gc^2 (a group living mostly
// in a few buildings has few, however many buildings hold one of its members), for a gap the
// fewer of the group's and the rest's. Each cluster must lie in one
// grid, so that the grid phase can accumulate a grid's clusters on its own and the ordered phase
// merge the grids' partial moments in grid order (bitwise the same on any thread count).
//
// Memory: per measure, 3 x groups^2 + 5 x groups doubles, whatever the number of residents.

#include <cstdint>
#include <vector>

namespace commsim::model {

struct GroupEstimate {
  double count = 0;  // observations
  double mean = 0;   // NaN without observations
  double se = 0;     // NaN with fewer than two clusters
  double df = 0;     // degrees of freedom of its t interval (effective clusters - 1)
};

struct GapEstimate {
  double gap = 0;  // the group's mean minus the mean of everyone else
  double se = 0;
  double low = 0, high = 0;  // 95% confidence interval
  double df = 0;
};

class GroupStats {
 public:
  explicit GroupStats(std::uint32_t groups = 0);

  // One observation of `group` in the current cluster.
  void add(std::uint8_t group, double value, double weight = 1.0) {
    sum_[group] += weight * value;
    n_[group] += weight;
    touched_ = true;
  }
  // Observations of `group` in the current cluster given by their sum and count, added at once
  // (the same bits as adding them one by one when `sum` was summed in their order from 0).
  void add_sum(std::uint8_t group, double sum, double count) {
    sum_[group] += sum;
    n_[group] += count;
    touched_ = true;
  }
  // Closes the current cluster (no-op when it is empty).
  void end_cluster();
  // Adds another accumulator's closed clusters (a grid's partial moments).
  void merge(const GroupStats& other);
  void clear();

  std::uint32_t groups() const { return groups_; }
  GroupEstimate group(std::uint32_t g) const;
  // Group g against all other groups pooled.
  GapEstimate gap_vs_rest(std::uint32_t g) const;
  // The same without the interval (low and high NaN): the gap, its standard error and degrees of
  // freedom only, for daily series, since Student's quantile costs more than the rest together.
  GapEstimate gap_vs_rest_point(std::uint32_t g) const;

  // The two-sided 95% quantile of Student's t with df degrees of freedom (1.96 for large df).
  static double t95(double df);

 private:
  std::size_t at(std::uint32_t g, std::uint32_t h) const {
    return static_cast<std::size_t>(g) * groups_ + h;
  }
  // Sum over clusters of the products of two linear forms a.(S - mu n) and b.(S - mu n), where
  // S and n are a cluster's per-group sums and counts.
  double cross(const std::vector<double>& a, const std::vector<double>& mu) const;

  std::uint32_t groups_;
  // The open cluster's per-group sums and counts.
  std::vector<double> sum_, n_;
  bool touched_ = false;
  // Over closed clusters: per-group totals, clusters holding the group, and the cross moments
  // sum_c S_g S_h, sum_c S_g n_h, sum_c n_g n_h.
  std::vector<double> total_, count_, clusters_;
  std::vector<double> ss_, sn_, nn_;
  double all_clusters_ = 0;
};

}  // namespace commsim::model
