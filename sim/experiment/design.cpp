#include "sim/experiment/design.hpp"

#include <cmath>
#include <numeric>

#include "sim/core/random.hpp"

namespace commsim::experiment {

std::vector<std::vector<std::size_t>> full_factorial(const std::vector<std::size_t>& levels) {
  std::size_t total = 1;
  for (auto l : levels) total *= l;
  std::vector<std::vector<std::size_t>> rows;
  rows.reserve(total);
  std::vector<std::size_t> cur(levels.size(), 0);
  for (std::size_t r = 0; r < total; ++r) {
    rows.push_back(cur);
    for (std::size_t j = levels.size(); j-- > 0;) {
      if (++cur[j] < levels[j]) break;
      cur[j] = 0;
    }
  }
  return rows;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed) {
  const StreamKey key{seed, 0};
  std::vector<std::vector<double>> rows(n, std::vector<double>(k, 0.0));
  for (std::size_t j = 0; j < k; ++j) {
    // Fisher-Yates with its own stream per column, so adding a parameter keeps the others.
    Stream perm_rng(key, purpose("sweep.lhs.permutation"), j, 0);
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[perm_rng.below(i)]);
    Stream jitter(key, purpose("sweep.lhs.jitter"), j, 0);
    for (std::size_t i = 0; i < n; ++i)
      rows[i][j] = (static_cast<double>(perm[i]) + jitter.uniform()) / static_cast<double>(n);
  }
  return rows;
}

SaltelliBase saltelli_base(std::size_t n, std::size_t k, std::uint64_t seed) {
  // Two independent Latin hypercubes, each from its own counter-based stream.
  return {latin_hypercube(n, k, derive_seed(seed, fnv1a64("saltelli.A"))),
          latin_hypercube(n, k, derive_seed(seed, fnv1a64("saltelli.B")))};
}

std::vector<double> saltelli_point(const SaltelliBase& base, std::size_t block, std::size_t row) {
  if (block == 0) return base.a[row];
  if (block == 1) return base.b[row];
  std::vector<double> p = base.a[row];
  p[block - 2] = base.b[row][block - 2];
  return p;
}

}  // namespace commsim::experiment
