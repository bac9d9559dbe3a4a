#pragma once
// The changing state of each resident that several mechanisms read and write (arrays indexed by
// resident, ordered by grid like the population). Which mechanism writes a field is said beside
// it; a mechanism in the parallel grid phase touches only its grid's residents.

#include <cstdint>
#include <limits>
#include <vector>

namespace commsim::model {

struct ResidentState {
  // Well-being, each on 0..1 (written by the wellbeing mechanism; councils and activities may
  // add to trust and belonging).
  std::vector<float> sense_of_gain;  // 获得感
  std::vector<float> happiness;      // 幸福感
  std::vector<float> security;       // 安全感
  std::vector<float> trust;          // trust in the community organisation
  std::vector<float> belonging;      // belonging to the community
  // The level all five return to day by day (wellbeing.initial, spread per resident); a newcomer
  // gets wellbeing.initial (embedding).
  std::vector<float> baseline;
  // Day a new household settled in this dwelling (embedding); INT32_MIN for the first residents
  // (before any day, burn-in days included). Lets
  // mechanisms that remember a person by index (volunteer teams) notice that they have moved.
  std::vector<std::int32_t> settled_day;

  void resize(std::uint32_t residents, float initial) {
    for (auto* v : {&sense_of_gain, &happiness, &security, &trust, &belonging})
      v->assign(residents, initial);
    baseline.assign(residents, initial);
    settled_day.assign(residents, std::numeric_limits<std::int32_t>::min());
  }
};

}  // namespace commsim::model
