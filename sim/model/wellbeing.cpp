#include "sim/model/wellbeing.hpp"

#include <algorithm>

namespace commsim::model {

namespace {
constexpr Purpose kInitial = purpose("wellbeing.initial");
void bump(std::vector<float>& v, std::uint32_t r, double by) {
  v[r] = static_cast<float>(std::clamp(v[r] + by, 0.0, 1.0));
}
}  // namespace

std::vector<float>* Wellbeing::measure(ResidentState& s, int m) {
  std::vector<float>* all[] = {&s.sense_of_gain, &s.happiness, &s.security, &s.trust, &s.belonging};
  return all[m];
}
const std::vector<float>* Wellbeing::measure(const ResidentState& s, int m) {
  const std::vector<float>* all[] = {&s.sense_of_gain, &s.happiness, &s.security, &s.trust,
                                     &s.belonging};
  return all[m];
}

void Wellbeing::initialise(ResidentState& residents, std::uint32_t count, StreamKey key) {
  residents.resize(count, static_cast<float>(spec_.initial));
  if (spec_.initial_spread <= 0) return;
  for (std::uint32_t r = 0; r < count; ++r) {
    Stream rng(key, kInitial, r, 0);
    residents.baseline[r] = static_cast<float>(std::clamp(
        spec_.initial + rng.uniform(-spec_.initial_spread, spec_.initial_spread), 0.0, 1.0));
    for (int m = 0; m < kMeasures; ++m) (*measure(residents, m))[r] = residents.baseline[r];
  }
}

void Wellbeing::resolved(ResidentState& s, std::uint32_t r, bool in_time, bool safety) const {
  const double gain = in_time ? spec_.resolved_fast_gain : spec_.resolved_late_gain;
  bump(s.sense_of_gain, r, gain);
  bump(s.happiness, r, gain);
  if (in_time) {
    bump(s.trust, r, spec_.trust_fast_gain);
    bump(s.belonging, r, spec_.trust_fast_gain);
  } else {
    bump(s.trust, r, -spec_.trust_late_loss);
  }
  if (safety) bump(s.security, r, spec_.safety_loss);
}
void Wellbeing::escalated(ResidentState& s, std::uint32_t r) const {
  bump(s.trust, r, -spec_.escalated_loss);
}
void Wellbeing::hidden_day(ResidentState& s, std::uint32_t r) const {
  bump(s.sense_of_gain, r, -spec_.hidden_decay);
  bump(s.happiness, r, -spec_.hidden_decay);
}
void Wellbeing::unresolved_day(ResidentState& s, std::uint32_t r) const {
  bump(s.sense_of_gain, r, -spec_.unresolved_decay);
  bump(s.trust, r, -spec_.unresolved_decay);
}
void Wellbeing::safety_incident(ResidentState& s, std::uint32_t r) const {
  bump(s.security, r, -spec_.safety_loss);
}
void Wellbeing::wish_fulfilled(ResidentState& s, std::uint32_t r) const {
  bump(s.sense_of_gain, r, spec_.wish_gain);
  bump(s.happiness, r, spec_.wish_gain);
}
void Wellbeing::participated(ResidentState& s, std::uint32_t r) const {
  bump(s.belonging, r, spec_.participation_belonging);
}
void Wellbeing::recover(ResidentState& s, std::uint32_t begin, std::uint32_t end) const {
  const auto rate = static_cast<float>(spec_.recovery);
  for (int m = 0; m < kMeasures; ++m) {
    auto& v = *measure(s, m);
    for (std::uint32_t r = begin; r < end; ++r) v[r] += rate * (s.baseline[r] - v[r]);
  }
}

}  // namespace commsim::model
