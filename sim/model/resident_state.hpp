#pragma once
// The changing state of each resident that several mechanisms read and write (arrays indexed by
// resident, ordered by grid like the population). Which mechanism writes a field is said beside
// it; a mechanism in the parallel grid phase touches only its grid's residents.

#include <cstdint>
#include <limits>
#include <vector>

namespace commsim::model {

struct ResidentState {
  // Well-being, each on 0..1 (written by the wellbeing mechanism, sim/model/wellbeing.hpp;
  // councils and activities may add to trust and belonging and call Wellbeing::participated).
  std::vector<float> sense_of_gain;  // 获得感: satisfaction with the community's service
  std::vector<float> happiness;      // 幸福感
  std::vector<float> security;       // 安全感
  std::vector<float> trust;          // trust in the community organisation
  std::vector<float> belonging;      // belonging to the community
  // The level satisfaction and security return to day by day (wellbeing.initial, spread per
  // resident); a newcomer gets wellbeing.initial (embedding).
  std::vector<float> baseline;
  // Expected performance of the community's service, 0..1 (1: every commitment kept), which
  // each experience moves towards what was seen (wellbeing.adaptation).
  std::vector<float> expectation;
  // Recent participation in councils and activities, 0..1 (rises at each attendance, fades).
  std::vector<float> participation;
  // Day a new household settled in this dwelling (embedding); INT32_MIN for the first residents
  // (before any day, burn-in days included). Lets
  // mechanisms that remember a person by index (volunteer teams) notice that they have moved.
  std::vector<std::int32_t> settled_day;
  // What a newcomer expects (wellbeing.expectation_initial), set by Wellbeing::initialise.
  float initial_expectation = 1.0f;

  void resize(std::uint32_t residents, float initial) {
    for (auto* v : {&sense_of_gain, &happiness, &security, &trust, &belonging})
      v->assign(residents, initial);
    baseline.assign(residents, initial);
    expectation.assign(residents, initial_expectation);
    participation.assign(residents, 0.0f);
    settled_day.assign(residents, std::numeric_limits<std::int32_t>::min());
  }
  // A new occupant of slot r: every measure and the baseline at `initial`, the initial
  // expectation, no participation yet (settled_day is the caller's).
  void reset(std::uint32_t r, float initial) {
    if (r >= baseline.size()) return;
    for (auto* v : {&sense_of_gain, &happiness, &security, &trust, &belonging, &baseline})
      (*v)[r] = initial;
    expectation[r] = initial_expectation;
    participation[r] = 0.0f;
  }
  // The occupant of slot `from` moves to slot `to` and takes their well-being along.
  void move(std::uint32_t from, std::uint32_t to) {
    if (from >= baseline.size() || to >= baseline.size()) return;
    for (auto* v : {&sense_of_gain, &happiness, &security, &trust, &belonging, &baseline,
                    &expectation, &participation})
      (*v)[to] = (*v)[from];
  }
};

}  // namespace commsim::model
