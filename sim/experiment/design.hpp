#pragma once
// Experimental designs as unit-cube samples: every function returns rows of values in [0, 1)
// (one column per parameter) or level indices, drawn from counter-based streams keyed by the
// sweep seed, so a design is a pure function of (seed, sizes).

#include <cstdint>
#include <vector>

namespace commsim::experiment {

// Every combination of levels, the last parameter varying fastest: levels {2, 3} gives
// (0,0) (0,1) (0,2) (1,0) (1,1) (1,2).
std::vector<std::vector<std::size_t>> full_factorial(const std::vector<std::size_t>& levels);

// Latin hypercube: n rows, k columns in [0, 1). In every column each of the n strata
// [m/n, (m+1)/n) holds exactly one row; the strata are paired across columns by independent
// random permutations and the value within a stratum is uniform.
std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed);

// The base sample of a Saltelli design: matrices A and B (each n rows, k columns in [0, 1)),
// two independent Latin hypercubes drawn from counter-based streams keyed by the sweep seed.
// A randomised, stratified sample: every column of A and of B covers its n strata exactly once
// (so one-parameter margins are far more even than plain Monte Carlo), while A and B stay
// independent, as the Saltelli/Jansen estimators require. Bootstrap confidence intervals over
// rows (analysis/stats.py) remain valid because rows are exchangeable.
struct SaltelliBase {
  std::vector<std::vector<double>> a, b;
};
SaltelliBase saltelli_base(std::size_t n, std::size_t k, std::uint64_t seed);

// The Saltelli design's point (block, row) in the unit cube: block 0 = A, 1 = B, 2 + i = AB_i
// (A with column i taken from B). There are n * (k + 2) points, ordered block by block.
std::vector<double> saltelli_point(const SaltelliBase& base, std::size_t block, std::size_t row);

}  // namespace commsim::experiment
