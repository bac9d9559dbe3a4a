#pragma once
// Residents' well-being from their experience of the community's service, after the
// expectancy-disconfirmation model of citizen satisfaction (Oliver 1980; Van Ryzin 2004, 2006;
// Zhang, Chen, Petrovsky & Walker 2022). docs/model.md §3.16 has the equations and sources.
//
// Each service experience has a perceived performance P in 0..1 (a need resolved within its
// commitment: 1; late: halving with each late_half_life commitments of lateness; escalated:
// escalated_performance; closed unresolved: closed_unresolved_performance; each day past the
// commitment: 0, at weight overdue_weight). Against the resident's expectation E it is a
// disconfirmation D = P - E, which moves
//   sense of gain (satisfaction with the service)  S += w x sensitivity x (D >= 0 ? D : negativity
//   x D) expectation                                    E += w x adaptation x D
// Meeting expectations confirms them and changes nothing: having needs is no reward. Daily,
// S and security return to the resident's baseline x0 (recovery), E to expectation_initial
// (expectation_anchor); trust follows S by exponential smoothing (trust_days); belonging
// follows a level from the resident's ties and recent participation (belonging_days);
// happiness follows a weighted mean of gain, security, belonging and x0 (recovery) and loses
// hidden_decay on each day a need of the resident stays hidden; a safety hazard costs security
// until it is fixed (never lifting it above x0). A resident with no needs stays at x0 on gain,
// trust and security and keeps E at expectation_initial.

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class Ties;  // sim/model/activities.hpp

enum Measure : std::uint8_t { kGain, kHappiness, kSecurity, kTrust, kBelonging, kMeasures };

class Wellbeing {
 public:
  explicit Wellbeing(const scenario::WellbeingSpec& spec) : spec_(spec) {}
  // Sizes and fills the residents' state (stream "wellbeing.initial", keyed by resident).
  void initialise(ResidentState& residents, std::uint32_t count, StreamKey key) const;

  // A need of r's resolved `days` after it was reported, against a commitment of `commitment`
  // days; `safety`: it was a safety hazard (its fright ends).
  void resolved(ResidentState& s, std::uint32_t r, double days, double commitment,
                bool safety) const;
  void escalated(ResidentState& s, std::uint32_t r) const;
  void closed_unresolved(ResidentState& s, std::uint32_t r) const;
  void hidden_day(ResidentState& s, std::uint32_t r) const;
  void unresolved_day(ResidentState& s, std::uint32_t r) const;
  bool unresolved_matters() const { return spec_.overdue_weight > 0; }
  void safety_incident(ResidentState& s, std::uint32_t r) const;
  void wish_fulfilled(ResidentState& s, std::uint32_t r) const;
  // r attended a council or an activity today.
  void participated(ResidentState& s, std::uint32_t r) const;
  // The day's dynamics for residents [begin, end): returns to baseline, trust's and belonging's
  // smoothing, happiness's composite. `ties` gives each resident's ties (belonging).
  void recover(ResidentState& s, std::uint32_t begin, std::uint32_t end, const Ties& ties) const;

  // Perceived performance of a resolution `days` after the report against `commitment`.
  double resolution_performance(double days, double commitment) const;
  // One service experience of performance p and weight w (1: a whole encounter).
  void experience(ResidentState& s, std::uint32_t r, double p, double w = 1.0) const;
  // Belonging's level from ties and participation for resident r (what belonging follows).
  double belonging_level(const ResidentState& s, std::uint32_t r, const Ties& ties) const;

  static std::vector<float>* measure(ResidentState& s, int m);
  static const std::vector<float>* measure(const ResidentState& s, int m);

 private:
  scenario::WellbeingSpec spec_;
};

}  // namespace commsim::model
