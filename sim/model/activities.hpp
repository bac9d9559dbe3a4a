#pragma once
// Social ties, inter-group attitudes and the contacts that change them: daily contact between
// neighbours (grid phase) and scheduled activities - festivals, shared meals, cultural events,
// language classes, volunteer home visits (ordered phase).
//
// Ties are stored compactly: a fixed number of slots per resident (`contact.tie_capacity`) in two
// flat arrays (partner, strength). A tie is symmetric: both ends hold the same strength, every
// update is applied to both ends with the same arithmetic, so both ends decay to nothing on the
// same day. Contact changes attitudes toward other groups by its quality (Allport 1954: equal
// status, common goal, cooperation, support of the organisation): a cross-group contact is
// positive with probability base_positive + (1 - base_positive) x quality.

#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/output/recorder.hpp"
#include "sim/policy/calendar.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

inline constexpr std::uint32_t kNoPartner = 0xFFFFFFFFu;

class Ties {
 public:
  void resize(std::uint32_t residents, std::uint32_t capacity);
  std::uint32_t capacity() const { return capacity_; }
  std::span<const std::uint32_t> partners(std::uint32_t r) const {
    return {partner_.data() + static_cast<std::size_t>(r) * capacity_, capacity_};
  }
  std::span<const float> strengths(std::uint32_t r) const {
    return {strength_.data() + static_cast<std::size_t>(r) * capacity_, capacity_};
  }
  float strength(std::uint32_t a, std::uint32_t b) const;  // 0 without a tie

  // Strengthens the tie a-b by `gain` (capped at 1), or creates it with strength `gain`. A side
  // with no free slot evicts its weakest tie if `may_evict` and that tie is weaker than `gain`
  // (the evicted partner loses the tie too); otherwise no tie is made. Returns whether a tie
  // a-b exists afterwards.
  bool strengthen(std::uint32_t a, std::uint32_t b, float gain, bool may_evict);
  // Weakens the ties of residents [begin, end) by `amount`, dropping those that fall below
  // `minimum` (their slots only: the other end does the same when its own resident is decayed).
  // One branch-free pass over their contiguous slots, which the compiler vectorises (an empty
  // slot has strength 0 and stays empty). The daily decay of a grid's ties is the hottest loop of
  // the neighbour phase.
  void decay_range(std::uint32_t begin, std::uint32_t end, float amount, float minimum);
  // The same for one resident.
  void decay(std::uint32_t r, float amount, float minimum) {
    decay_range(r, r + 1, amount, minimum);
  }
  void remove(std::uint32_t a, std::uint32_t b);
  void clear(std::uint32_t r);                      // removes r's ties at both ends
  void move(std::uint32_t from, std::uint32_t to);  // `to` takes over `from`'s ties

 private:
  int find(std::uint32_t a, std::uint32_t b) const;
  int free_slot(std::uint32_t a) const;
  int weakest(std::uint32_t a) const;
  std::size_t slot(std::uint32_t r, int k) const {
    return static_cast<std::size_t>(r) * capacity_ + static_cast<std::size_t>(k);
  }
  std::uint32_t capacity_ = 0;
  std::vector<std::uint32_t> partner_;
  std::vector<float> strength_;
};

// Ties, attitudes and interest of every resident (indexed like the population).
struct SocialState {
  Ties ties;
  std::vector<float> attitude;  // toward other ethnic groups, 0 (hostile) .. 1 (warm)
  std::vector<float> interest;  // in community life, mean 1 (drawn once per resident slot)
  double interest_spread = 0;

  SocialState(const scenario::Scenario& s, const population::Population& pop, StreamKey key);

  // One contact between residents a and b of the given quality (0..1). `rng` draws whether a
  // cross-group contact is positive for each side.
  void meet(std::uint32_t a, std::uint32_t b, double quality, bool may_evict,
            const population::Population& pop, const scenario::ContactSpec& c, Stream& rng);
  // A resident slot gets a new occupant: no ties, initial attitude, fresh interest.
  void reset(std::uint32_t r, const scenario::ContactSpec& c, StreamKey key, Day d);
};

// Allport's conditions as one quality in 0..1 (their mean).
double contact_quality(const scenario::ActivitySpec& a);
// The attitude at which neighbour contact's expected change is zero (contact.start_at_equilibrium).
double contact_equilibrium(const scenario::ContactSpec& c);

// Grid phase: neighbours meet (stairwell first, else building), ties wear away, and the grid's
// integration metrics are recorded.
class NeighbourContact {
 public:
  NeighbourContact(const scenario::ContactSpec& spec, const population::Population& pop,
                   output::Recorder& recorder);
  void run(const population::Population& pop, GridId g, Day d, StreamKey key, SocialState& social,
           const output::Recorder::Row& row) const;

 private:
  scenario::ContactSpec spec_;
  output::MetricId cross_share_, attitude_, proficiency_, ties_;
};

// Ordered phase: the scheduled activities of the day. An event run by a volunteer team
// (activities.events[].team: the cultural teams' shows and talks, the elder-care team's visits)
// is held on its calendar days only while the team has members.
class Activities {
 public:
  Activities(const scenario::Scenario& s, const population::Population& pop,
             output::Recorder& recorder);
  void run(population::Population& pop, Day d, StreamKey key, const Volunteers& teams,
           SocialState& social, ResidentState& residents, const output::Recorder::Row& row) const;
  // Whether event e is held on day d (its calendar, and its team has members).
  bool held(std::size_t e, Day d, const Volunteers& teams) const;
  // The residents who attend event e on day d (ascending), for tests.
  std::vector<std::uint32_t> attendees(std::size_t e, const population::Population& pop, Day d,
                                       StreamKey key, const SocialState& social,
                                       const ResidentState& residents) const;
  output::MetricId attendance_metric() const { return attendance_; }

 private:
  using Who = scenario::ActivityWho;
  struct Event {
    scenario::ActivitySpec spec;
    policy::CalendarRule calendar;
    policy::CalendarParams when;
    double quality;
    Who who;
    bool anyone;  // contacts with anyone in the community (home visits), not just attendees
  };
  std::vector<Event> events_;
  scenario::ActivitiesSpec spec_;
  scenario::ContactSpec contact_;
  Wellbeing wellbeing_;  // participation (belonging)
  std::int64_t start_weekday_;
  output::MetricId attendance_, by_event_, held_;
};

}  // namespace commsim::model
