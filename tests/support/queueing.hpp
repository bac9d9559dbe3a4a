#pragma once
// Queueing results the model's casework queue is checked against.

#include <limits>
#include <utility>

namespace commsim::test {

// Erlang C for M/M/c: the probability of waiting and the mean wait, for arrival rate lambda and
// service rate mu per server (the wait in the rates' time unit). An unstable queue (rho >= 1)
// always waits, without end.
inline std::pair<double, double> erlang_c(double lambda, double mu, int c) {
  const double a = lambda / mu, rho = a / c;
  if (rho >= 1) return {1.0, std::numeric_limits<double>::infinity()};
  double term = 1, sum = 1;
  for (int k = 1; k < c; ++k) sum += term *= a / k;
  const double last = term * a / c / (1 - rho);
  const double pw = last / (sum + last);
  return {pw, pw / (c * mu - lambda)};
}

}  // namespace commsim::test
