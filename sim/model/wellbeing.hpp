#pragma once
// Residents' well-being: sense of gain, happiness, security, trust and belonging (0..1) start at
// wellbeing.initial (+- spread) and move with what happens to their needs: a need resolved within
// its commitment raises gain, happiness, trust and belonging; resolved late raises gain less and
// costs trust; escalation costs trust; a hidden need wears happiness and gain down each day, an
// open work order past its commitment (unresolved) wears gain and trust down each day; a
// safety hazard costs security until it is fixed. Each measure returns daily towards the
// resident's initial value (adaptation), so effects are transient, not cumulative drift.

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

enum Measure : std::uint8_t { kGain, kHappiness, kSecurity, kTrust, kBelonging, kMeasures };

class Wellbeing {
 public:
  explicit Wellbeing(const scenario::WellbeingSpec& spec) : spec_(spec) {}
  // Sizes and fills the residents' state (stream "wellbeing.initial", keyed by resident).
  void initialise(ResidentState& residents, std::uint32_t count, StreamKey key);

  void resolved(ResidentState& s, std::uint32_t r, bool in_time, bool safety) const;
  void escalated(ResidentState& s, std::uint32_t r) const;
  void hidden_day(ResidentState& s, std::uint32_t r) const;
  void unresolved_day(ResidentState& s, std::uint32_t r) const;
  bool unresolved_matters() const { return spec_.unresolved_decay > 0; }
  void safety_incident(ResidentState& s, std::uint32_t r) const;
  // The co-building units fulfilled a micro-wish resident r made: sense of gain and happiness
  // rise by `wish_gain`.
  void wish_fulfilled(ResidentState& s, std::uint32_t r) const;
  // Resident r attended a council meeting: belonging rises by `participation_belonging`.
  void participated(ResidentState& s, std::uint32_t r) const;
  // The day's return towards the initial values, for residents [begin, end).
  void recover(ResidentState& s, std::uint32_t begin, std::uint32_t end) const;

  static std::vector<float>* measure(ResidentState& s, int m);
  static const std::vector<float>* measure(const ResidentState& s, int m);

 private:
  scenario::WellbeingSpec spec_;
};

}  // namespace commsim::model
