#pragma once
// Service times of work orders: a need type's mean hours times a unit-mean draw from the type's
// distribution (casework.types[].distribution, else casework.service_distribution). The draw is
// made from the need's own stream (keyed by grid and log index), so every policy arm that serves
// the need sees the same service time (common random numbers).

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/core/random.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

using ServiceDistribution = scenario::ServiceDistribution;  // bound by the scenario schema

// A service time with mean 1 (multiply by the type's mean hours). The exponential has cv 1 by
// definition; the lognormal's log-scale parameters are set so its mean is 1 and its coefficient
// of variation `cv`; a fixed service time draws nothing.
inline double unit_service_time(ServiceDistribution d, double cv, Stream& rng) {
  switch (d) {
    case ServiceDistribution::Exponential:
      return -std::log(rng.uniform_pos());
    case ServiceDistribution::Lognormal: {
      const double s2 = std::log(1.0 + cv * cv);
      return rng.lognormal(-s2 / 2.0, std::sqrt(s2));
    }
    case ServiceDistribution::Fixed:
      break;
  }
  return 1.0;
}

}  // namespace commsim::model
