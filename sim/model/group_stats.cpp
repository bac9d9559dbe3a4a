#include "sim/model/group_stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace commsim::model {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

GroupStats::GroupStats(std::uint32_t groups)
    : groups_(groups),
      sum_(groups, 0.0),
      n_(groups, 0.0),
      total_(groups, 0.0),
      count_(groups, 0.0),
      clusters_(groups, 0.0),
      ss_(std::size_t(groups) * groups, 0.0),
      sn_(std::size_t(groups) * groups, 0.0),
      nn_(std::size_t(groups) * groups, 0.0) {}

void GroupStats::end_cluster() {
  if (!touched_) return;
  bool any = false;
  for (std::uint32_t g = 0; g < groups_; ++g) {
    if (n_[g] == 0) continue;
    any = true;
    total_[g] += sum_[g];
    count_[g] += n_[g];
    clusters_[g] += 1;
    for (std::uint32_t h = 0; h < groups_; ++h) {
      if (n_[h] == 0) continue;
      ss_[at(g, h)] += sum_[g] * sum_[h];
      sn_[at(g, h)] += sum_[g] * n_[h];
      nn_[at(g, h)] += n_[g] * n_[h];
    }
  }
  all_clusters_ += any;
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(n_.begin(), n_.end(), 0.0);
  touched_ = false;
}

void GroupStats::merge(const GroupStats& other) {
  const auto plus = [](std::vector<double>& into, const std::vector<double>& from) {
    for (std::size_t k = 0; k < into.size(); ++k) into[k] += from[k];
  };
  plus(total_, other.total_);
  plus(count_, other.count_);
  plus(clusters_, other.clusters_);
  plus(ss_, other.ss_);
  plus(sn_, other.sn_);
  plus(nn_, other.nn_);
  all_clusters_ += other.all_clusters_;
}

void GroupStats::clear() {
  for (auto* v : {&sum_, &n_, &total_, &count_, &clusters_, &ss_, &sn_, &nn_})
    std::fill(v->begin(), v->end(), 0.0);
  touched_ = false;
  all_clusters_ = 0;
}

double GroupStats::cross(const std::vector<double>& a, const std::vector<double>& mu) const {
  // sum_c (sum_h a_h (S_hc - mu_h n_hc))^2, expanded over the stored cross moments.
  double v = 0;
  for (std::uint32_t h = 0; h < groups_; ++h) {
    if (a[h] == 0) continue;
    for (std::uint32_t k = 0; k < groups_; ++k) {
      if (a[k] == 0) continue;
      v += a[h] * a[k] *
           (ss_[at(h, k)] - mu[k] * sn_[at(h, k)] - mu[h] * sn_[at(k, h)] +
            mu[h] * mu[k] * nn_[at(h, k)]);
    }
  }
  return std::max(v, 0.0);
}

double GroupStats::t95(double df) {
  if (!(df >= 1)) return kNaN;
  if (df > 1e6) return 1.959963984540054;
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), 0.975);
}

GroupEstimate GroupStats::group(std::uint32_t g) const {
  GroupEstimate e{count_[g], kNaN, kNaN, kNaN};
  if (count_[g] <= 0) return e;
  e.mean = total_[g] / count_[g];
  const double c = clusters_[g];
  if (c < 2) return e;
  std::vector<double> a(groups_, 0.0), mu(groups_, 0.0);
  a[g] = 1.0 / count_[g];
  mu[g] = e.mean;
  e.se = std::sqrt(c / (c - 1) * cross(a, mu));
  e.df = count_[g] * count_[g] / nn_[at(g, g)] - 1;
  return e;
}

GapEstimate GroupStats::gap_vs_rest(std::uint32_t g) const {
  GapEstimate e = gap_vs_rest_point(g);
  if (!std::isnan(e.se)) {
    const double t = t95(e.df);
    e.low = e.gap - t * e.se;
    e.high = e.gap + t * e.se;
  }
  return e;
}

GapEstimate GroupStats::gap_vs_rest_point(std::uint32_t g) const {
  GapEstimate e{kNaN, kNaN, kNaN, kNaN, kNaN};
  double rest_n = 0, rest_sum = 0;
  for (std::uint32_t h = 0; h < groups_; ++h)
    if (h != g) rest_n += count_[h], rest_sum += total_[h];
  if (count_[g] <= 0 || rest_n <= 0) return e;
  const double mean_g = total_[g] / count_[g], mean_rest = rest_sum / rest_n;
  e.gap = mean_g - mean_rest;
  const double c = all_clusters_;
  // Kish's effective clusters of the group and of the rest.
  double rest_nn = 0;
  for (std::uint32_t h = 0; h < groups_; ++h)
    for (std::uint32_t k = 0; k < groups_; ++k)
      if (h != g && k != g) rest_nn += nn_[at(h, k)];
  const double df = std::min(count_[g] * count_[g] / nn_[at(g, g)], rest_n * rest_n / rest_nn) - 1;
  e.df = df;
  if (c < 2 || !(df >= 1)) return e;
  std::vector<double> a(groups_, -1.0 / rest_n), mu(groups_, mean_rest);
  a[g] = 1.0 / count_[g];
  mu[g] = mean_g;
  e.se = std::sqrt(c / (c - 1) * cross(a, mu));
  return e;
}

}  // namespace commsim::model
