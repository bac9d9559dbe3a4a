#include "sim/model/wellbeing.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/activities.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kInitial = purpose("wellbeing.initial");
float clamp01(double x) {
  return static_cast<float>(std::clamp(x, 0.0, 1.0));
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

void Wellbeing::initialise(ResidentState& residents, std::uint32_t count, StreamKey key) const {
  residents.initial_expectation = static_cast<float>(spec_.expectation_initial);
  residents.resize(count, static_cast<float>(spec_.initial));
  if (spec_.initial_spread <= 0) return;
  for (std::uint32_t r = 0; r < count; ++r) {
    Stream rng(key, kInitial, r, 0);
    residents.baseline[r] = static_cast<float>(std::clamp(
        spec_.initial + rng.uniform(-spec_.initial_spread, spec_.initial_spread), 0.0, 1.0));
    for (int m = 0; m < kMeasures; ++m) (*measure(residents, m))[r] = residents.baseline[r];
  }
}

double Wellbeing::resolution_performance(double days, double commitment) const {
  // A commitment of 0 days ("on receipt") is judged against a working hour.
  const double c = std::max(commitment, 1.0 / 24.0);
  const double late = std::max(0.0, days - commitment) / (spec_.late_half_life * c);
  return std::exp2(-late);
}

void Wellbeing::experience(ResidentState& s, std::uint32_t r, double p, double w) const {
  const double d = p - s.expectation[r];
  const double felt = d >= 0 ? d : spec_.negativity * d;
  s.sense_of_gain[r] = clamp01(s.sense_of_gain[r] + w * spec_.sensitivity * felt);
  s.expectation[r] = clamp01(s.expectation[r] + w * spec_.adaptation * d);
}

void Wellbeing::resolved(ResidentState& s, std::uint32_t r, double days, double commitment,
                         bool safety) const {
  experience(s, r, resolution_performance(days, commitment));
  // The fix ends the hazard's fright; what recovery has already restored is not given twice.
  if (safety) s.security[r] = std::min(s.baseline[r], clamp01(s.security[r] + spec_.safety_loss));
}
void Wellbeing::escalated(ResidentState& s, std::uint32_t r) const {
  experience(s, r, spec_.escalated_performance);
}
void Wellbeing::closed_unresolved(ResidentState& s, std::uint32_t r) const {
  experience(s, r, spec_.closed_unresolved_performance);
}
void Wellbeing::unresolved_day(ResidentState& s, std::uint32_t r) const {
  experience(s, r, 0.0, spec_.overdue_weight);
}
void Wellbeing::hidden_day(ResidentState& s, std::uint32_t r) const {
  s.happiness[r] = clamp01(s.happiness[r] - spec_.hidden_decay);
}
void Wellbeing::safety_incident(ResidentState& s, std::uint32_t r) const {
  s.security[r] = clamp01(s.security[r] - spec_.safety_loss);
}
void Wellbeing::wish_fulfilled(ResidentState& s, std::uint32_t r) const {
  // Measured against the wish's own expectation, not the service's: a gift, not a service.
  s.sense_of_gain[r] =
      clamp01(s.sense_of_gain[r] + spec_.sensitivity * (1.0 - spec_.wish_expectation));
}
void Wellbeing::participated(ResidentState& s, std::uint32_t r) const {
  s.participation[r] =
      clamp01(s.participation[r] + spec_.participation_gain * (1.0 - s.participation[r]));
}

double Wellbeing::belonging_level(const ResidentState& s, std::uint32_t r, const Ties& ties) const {
  float strength = 0;
  for (float x : ties.strengths(r)) strength += x;
  const double score = strength / (strength + spec_.tie_scale);
  const double scale = std::max(1.0, spec_.tie_weight + spec_.participation_weight);
  const double wt = spec_.tie_weight / scale, wp = spec_.participation_weight / scale;
  return (1.0 - wt - wp) * s.baseline[r] + wt * score + wp * s.participation[r];
}

void Wellbeing::recover(ResidentState& s, std::uint32_t begin, std::uint32_t end,
                        const Ties& ties) const {
  // Single precision and one simple pass per quantity, so that the compiler vectorises them:
  // this runs for every resident every day.
  const auto f = [](double x) { return static_cast<float>(x); };
  const float rate = f(spec_.recovery), anchor = f(spec_.expectation_anchor),
              e0 = f(spec_.expectation_initial), to_trust = f(1.0 / spec_.trust_days),
              to_belong = f(1.0 / spec_.belonging_days),
              fade = f(1.0 - 1.0 / spec_.participation_days);
  // Weights adding up to more than 1 are scaled to add up to 1 (the baseline then has none).
  const double hs = std::max(1.0, spec_.happiness_gain_weight + spec_.happiness_security_weight +
                                      spec_.happiness_belonging_weight),
               bs = std::max(1.0, spec_.tie_weight + spec_.participation_weight);
  const float wg = f(spec_.happiness_gain_weight / hs),
              ws = f(spec_.happiness_security_weight / hs),
              wb = f(spec_.happiness_belonging_weight / hs),
              w0 = std::max(0.0f, 1.0f - wg - ws - wb);
  const float wt = f(spec_.tie_weight / bs), wp = f(spec_.participation_weight / bs),
              wx = std::max(0.0f, 1.0f - wt - wp), scale = f(spec_.tie_scale);
  // std::min(1, std::max(0, x)) written as selects the compiler turns into maxss/minss (it
  // branched on std::max); NaN goes to 0 as before.
  const auto unit = [](float x) {
    const float y = x > 0.0f ? x : 0.0f;
    return y < 1.0f ? y : 1.0f;
  };
  // Distinct arrays: __restrict lets the loops vectorise without overlap checks.
  float *__restrict e = s.expectation.data(), *__restrict g = s.sense_of_gain.data(),
                    *__restrict y = s.security.data(), *__restrict p = s.participation.data(),
                    *__restrict t = s.trust.data(), *__restrict b = s.belonging.data(),
                    *__restrict h = s.happiness.data();
  const float* __restrict x0 = s.baseline.data();
  for (std::size_t r = begin; r < end; ++r) e[r] = unit(e[r] + anchor * (e0 - e[r]));
  for (std::size_t r = begin; r < end; ++r) g[r] = unit(g[r] + rate * (x0[r] - g[r]));
  for (std::size_t r = begin; r < end; ++r) y[r] = unit(y[r] + rate * (x0[r] - y[r]));
  for (std::size_t r = begin; r < end; ++r) p[r] *= fade;
  for (std::size_t r = begin; r < end; ++r) t[r] = unit(t[r] + to_trust * (g[r] - t[r]));
  // A resident's tie strengths are summed slot by slot in slot order, as before, but for a block
  // of residents at a time, so that the residents' sums proceed side by side.
  const std::size_t capacity = ties.capacity();
  const float* __restrict slots = capacity > 0 ? ties.strengths(begin).data() : nullptr;
  constexpr std::size_t kBlock = 256;
  float strength[kBlock];
  for (std::size_t first = begin; first < end; first += kBlock) {
    const std::size_t n = std::min<std::size_t>(kBlock, end - first);
    std::fill_n(strength, n, 0.0f);
    const float* __restrict block = slots + (first - begin) * capacity;
    for (std::size_t k = 0; k < capacity; ++k)
      for (std::size_t j = 0; j < n; ++j) strength[j] += block[j * capacity + k];
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t r = first + j;
      const float level = wx * x0[r] + wt * (strength[j] / (strength[j] + scale)) + wp * p[r];
      b[r] = unit(b[r] + to_belong * (level - b[r]));
    }
  }
  for (std::size_t r = begin; r < end; ++r)
    h[r] = unit(h[r] + rate * (wg * g[r] + ws * y[r] + wb * b[r] + w0 * x0[r] - h[r]));
}

}  // namespace commsim::model
