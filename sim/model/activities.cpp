#include "sim/model/activities.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace commsim::model {

namespace {
constexpr Purpose kInterest = purpose("contact.interest");
constexpr Purpose kNeighbour = purpose("contact.neighbour");
constexpr Purpose kAttend = purpose("activities.attend");
constexpr Purpose kActivityContact = purpose("activities.contact");

Purpose event_purpose(Purpose base, std::size_t e) {
  return Purpose{derive_seed(base.value, e)};
}
}  // namespace

// ---- Ties ------------------------------------------------------------------------------------

void Ties::resize(std::uint32_t residents, std::uint32_t capacity) {
  capacity_ = capacity;
  partner_.assign(static_cast<std::size_t>(residents) * capacity, kNoPartner);
  strength_.assign(static_cast<std::size_t>(residents) * capacity, 0.0f);
}

int Ties::find(std::uint32_t a, std::uint32_t b) const {
  for (std::uint32_t k = 0; k < capacity_; ++k)
    if (partner_[slot(a, static_cast<int>(k))] == b) return static_cast<int>(k);
  return -1;
}
int Ties::free_slot(std::uint32_t a) const {
  return find(a, kNoPartner);
}
int Ties::weakest(std::uint32_t a) const {
  int best = -1;
  for (std::uint32_t k = 0; k < capacity_; ++k) {
    const auto i = slot(a, static_cast<int>(k));
    if (partner_[i] != kNoPartner && (best < 0 || strength_[i] < strength_[slot(a, best)]))
      best = static_cast<int>(k);
  }
  return best;
}

float Ties::strength(std::uint32_t a, std::uint32_t b) const {
  const int k = find(a, b);
  return k < 0 ? 0.0f : strength_[slot(a, k)];
}

bool Ties::strengthen(std::uint32_t a, std::uint32_t b, float gain, bool may_evict) {
  if (a == b || capacity_ == 0) return false;
  const int ka = find(a, b);
  if (ka >= 0) {
    const int kb = find(b, a);
    const float s = std::min(1.0f, strength_[slot(a, ka)] + gain);
    strength_[slot(a, ka)] = s;
    strength_[slot(b, kb)] = s;
    return true;
  }
  // A slot at each end, evicting the weakest tie where allowed.
  const auto room = [&](std::uint32_t x) {
    if (free_slot(x) >= 0) return true;
    if (!may_evict) return false;
    const int w = weakest(x);
    return strength_[slot(x, w)] < gain;
  };
  if (!room(a) || !room(b)) return false;
  for (std::uint32_t x : {a, b})
    if (free_slot(x) < 0) remove(x, partner_[slot(x, weakest(x))]);
  const int fa = free_slot(a), fb = free_slot(b);
  partner_[slot(a, fa)] = b;
  partner_[slot(b, fb)] = a;
  strength_[slot(a, fa)] = std::min(1.0f, gain);
  strength_[slot(b, fb)] = std::min(1.0f, gain);
  return true;
}

void Ties::decay_range(std::uint32_t begin, std::uint32_t end, float amount, float minimum) {
  const std::size_t first = static_cast<std::size_t>(begin) * capacity_;
  const std::size_t last = static_cast<std::size_t>(end) * capacity_;
  float* strength = strength_.data();
  std::uint32_t* partner = partner_.data();
  // Masks, not branches (which slots are empty or fading is unpredictable): a slot kept has all
  // bits of `keep` set, a slot dropped none.
  for (std::size_t i = first; i < last; ++i) {
    const float s = strength[i] - amount;
    const std::uint32_t keep =
        0u - static_cast<std::uint32_t>((s >= minimum) & (partner[i] != kNoPartner));
    std::uint32_t bits;
    std::memcpy(&bits, &s, sizeof bits);
    bits &= keep;  // 0.0f when dropped
    std::memcpy(&strength[i], &bits, sizeof bits);
    partner[i] |= ~keep;  // kNoPartner when dropped
  }
}

void Ties::remove(std::uint32_t a, std::uint32_t b) {
  for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
    const int k = find(x, y);
    if (k >= 0) {
      partner_[slot(x, k)] = kNoPartner;
      strength_[slot(x, k)] = 0.0f;
    }
  }
}

void Ties::clear(std::uint32_t r) {
  for (std::uint32_t k = 0; k < capacity_; ++k) {
    const auto p = partner_[slot(r, static_cast<int>(k))];
    if (p != kNoPartner) remove(r, p);
  }
}

void Ties::move(std::uint32_t from, std::uint32_t to) {
  clear(to);
  for (std::uint32_t k = 0; k < capacity_; ++k) {
    const auto i = slot(from, static_cast<int>(k));
    const auto p = partner_[i];
    if (p == kNoPartner) continue;
    if (p == to) {  // a tie between the two slots cannot survive the move
      remove(from, to);
      continue;
    }
    const int back = find(p, from);
    partner_[slot(p, back)] = to;
    const int f = free_slot(to);
    partner_[slot(to, f)] = p;
    strength_[slot(to, f)] = strength_[i];
    partner_[i] = kNoPartner;
    strength_[i] = 0.0f;
  }
}

// ---- SocialState -----------------------------------------------------------------------------

SocialState::SocialState(const scenario::Scenario& s, const population::Population& pop,
                         StreamKey key) {
  ties.resize(pop.residents(), static_cast<std::uint32_t>(s.contact.tie_capacity));
  attitude.assign(pop.residents(),
                  static_cast<float>(s.contact.start_at_equilibrium ? contact_equilibrium(s.contact)
                                                                    : s.contact.initial_attitude));
  interest.resize(pop.residents());
  interest_spread = s.activities.interest_spread;
  const double spread = interest_spread;
  for (std::uint32_t r = 0; r < pop.residents(); ++r) {
    Stream rng(key, kInterest, r, 0);
    interest[r] = static_cast<float>(1.0 + spread * (2.0 * rng.uniform() - 1.0));
  }
}

void SocialState::reset(std::uint32_t r, const scenario::ContactSpec& c, StreamKey key, Day d) {
  ties.clear(r);
  attitude[r] = static_cast<float>(c.initial_attitude);
  // Day key 0 is the first occupant's draw: a newcomer of day d >= 0 draws at d + 1, of a burn-in
  // day (d < 0) at d, so no two draws share a key.
  Stream rng(key, kInterest, r, d.value >= 0 ? d.value + 1 : d.value);
  interest[r] = static_cast<float>(1.0 + interest_spread * (2.0 * rng.uniform() - 1.0));
}

void SocialState::meet(std::uint32_t a, std::uint32_t b, double quality, bool may_evict,
                       const population::Population& pop, const scenario::ContactSpec& c,
                       Stream& rng) {
  ties.strengthen(a, b, static_cast<float>(c.tie_gain), may_evict);
  if (pop.resident_group[a] == pop.resident_group[b]) return;
  const double positive = c.base_positive + (1.0 - c.base_positive) * quality;
  for (std::uint32_t x : {a, b}) {
    float& v = attitude[x];
    if (rng.uniform() < positive)
      v += static_cast<float>(c.attitude_gain * (1.0 - v));
    else
      v -= static_cast<float>(c.attitude_loss * v);
  }
}

double contact_equilibrium(const scenario::ContactSpec& c) {
  // A cross-group contact moves v by g (1 - v) with probability p, by -l v otherwise: the
  // expected change is zero at v = p g / (p g + (1 - p) l).
  const double p = c.base_positive + (1.0 - c.base_positive) * c.neighbour_quality;
  const double up = p * c.attitude_gain, down = (1.0 - p) * c.attitude_loss;
  return up + down > 0 ? up / (up + down) : c.initial_attitude;
}

double contact_quality(const scenario::ActivitySpec& a) {
  return (a.equal_status + a.common_goal + a.cooperation + a.institutional_support) / 4.0;
}

// ---- NeighbourContact ------------------------------------------------------------------------

NeighbourContact::NeighbourContact(const scenario::ContactSpec& spec,
                                   const population::Population& pop, output::Recorder& recorder)
    : spec_(spec) {
  const output::Dimension groups{"group", pop.group_names};
  using output::Combine;
  using output::EndRule;
  cross_share_ =
      recorder.add({.name = "cross_group_tie_share",
                    .unit = "share",
                    .description = "Share of residents' social ties that cross ethnic lines.",
                    .combine = Combine::Ratio,
                    .summary = EndRule::Final,
                    .key = true});
  ties_ = recorder.add({.name = "ties_per_resident",
                        .unit = "ties",
                        .description = "Mean number of social ties per resident, by ethnic group.",
                        .dims = {groups},
                        .combine = Combine::Ratio,
                        .summary = EndRule::Final,
                        .key = true});
  attitude_ = recorder.add({.name = "intergroup_attitude",
                            .unit = "score",
                            .description = "Mean attitude toward other ethnic groups, by group.",
                            .dims = {groups},
                            .combine = Combine::Ratio,
                            .summary = EndRule::Final,
                            .key = true});
  proficiency_ = recorder.add({.name = "common_language_proficiency",
                               .unit = "score",
                               .description = "Mean common-language proficiency, by ethnic group.",
                               .dims = {groups},
                               .combine = Combine::Ratio,
                               .summary = EndRule::Final,
                               .key = true});
}

void NeighbourContact::run(const population::Population& pop, GridId g, Day d, StreamKey key,
                           SocialState& social, const output::Recorder::Row& row) const {
  const population::Range residents = pop.grid_residents(g);
  // Decay every tie end of the grid first, so a tie made today is not decayed at one end only.
  social.ties.decay_range(residents.begin, residents.end, static_cast<float>(spec_.tie_decay),
                          static_cast<float>(spec_.tie_minimum));
  for (std::uint32_t r = residents.begin; r < residents.end; ++r) {
    if (pop.resident_vacant(r)) continue;
    Stream rng(key, kNeighbour, r, d.value);
    if (rng.uniform() >= spec_.neighbour_contact_rate) continue;
    const std::uint32_t s = pop.household_stairwell[pop.resident_household[r]];
    const population::Range around = rng.uniform() < spec_.same_stairwell_share
                                         ? pop.stairwell_residents(s)
                                         : pop.building_residents(pop.stairwell_building[s]);
    // Homophily: a resident may look for a neighbour of their own group (less so the warmer
    // their attitude toward other groups).
    const bool seek = rng.uniform() < spec_.neighbour_homophily * 2.0 * (1.0 - social.attitude[r]);
    std::uint32_t b = around.begin + static_cast<std::uint32_t>(rng.below(around.size()));
    for (int tries = 1; seek && tries < 4 && pop.resident_group[b] != pop.resident_group[r];
         ++tries)
      b = around.begin + static_cast<std::uint32_t>(rng.below(around.size()));
    if (pop.resident_household[b] == pop.resident_household[r] || pop.resident_vacant(b)) continue;
    // Neighbours share a building, hence a grid; they never evict a tie that may reach another
    // grid (that would write outside this grid's slice).
    social.meet(r, b, spec_.neighbour_quality, false, pop, spec_, rng);
  }
  if (!row.measuring()) return;
  // The day's metrics, summed by group in resident order and added once: the same additions in
  // the same order as adding each resident to the row (which starts the day at 0), so the same
  // bits. Tie counts are integers, exact in any order.
  constexpr std::size_t kGroups = 256;  // a group is a std::uint8_t
  const std::uint32_t groups = pop.groups();
  double attitude[kGroups], proficiency[kGroups];
  std::uint64_t ties_of[kGroups], count[kGroups], all_ties = 0, all_cross = 0;
  std::fill_n(attitude, groups, 0.0);
  std::fill_n(proficiency, groups, 0.0);
  std::fill_n(ties_of, groups, 0);
  std::fill_n(count, groups, 0);
  const std::uint8_t* group_of = pop.resident_group.data();
  const std::uint32_t capacity = social.ties.capacity();
  for (std::uint32_t r = residents.begin; r < residents.end; ++r) {
    if (pop.resident_vacant(r)) continue;
    const auto group = group_of[r];
    const std::uint32_t* partners = social.ties.partners(r).data();
    std::uint32_t ties = 0, cross = 0;
    for (std::uint32_t k = 0; k < capacity; ++k) {
      const std::uint32_t p = partners[k];
      const std::uint32_t tie = p != kNoPartner;
      ties += tie;
      // An empty slot looks at r itself (no crossing); a mask, not a branch, since which slots
      // are empty is unpredictable.
      const std::uint32_t q = r ^ ((p ^ r) & (0u - tie));
      cross += group_of[q] != group;
    }
    all_ties += ties;
    all_cross += cross;
    ties_of[group] += ties;
    count[group] += 1;
    attitude[group] += social.attitude[r];
    proficiency[group] += pop.resident_proficiency[r];
  }
  for (std::uint32_t group = 0; group < groups; ++group) {
    if (count[group] == 0) continue;
    const auto n = static_cast<double>(count[group]);
    row.add_ratio(ties_, group, static_cast<double>(ties_of[group]), n);
    row.add_ratio(attitude_, group, attitude[group], n);
    row.add_ratio(proficiency_, group, proficiency[group], n);
  }
  row.add_ratio(cross_share_, 0, static_cast<double>(all_cross), static_cast<double>(all_ties));
}

// ---- Activities ------------------------------------------------------------------------------

Activities::Activities(const scenario::Scenario& s, const population::Population& pop,
                       output::Recorder& recorder)
    : spec_(s.activities),
      contact_(s.contact),
      wellbeing_(s.wellbeing),
      start_weekday_(s.run.start_weekday) {
  std::vector<std::string> names;
  for (const auto& e : s.activities.events) {
    // The festival lever (activities.festivals) overrides the calendar of every festival.
    const bool lever = e.kind == scenario::ActivityKind::Festival && s.activities.festivals;
    events_.push_back(
        {e,
         policy::calendar_rule(lever ? *s.activities.festivals : e.calendar),
         {static_cast<int>(e.weekday), static_cast<int>(e.day_of_month), static_cast<int>(e.month)},
         contact_quality(e),
         e.who,
         e.partners == scenario::ActivityPartners::Anyone});
    names.push_back(e.name);
  }
  attendance_ = recorder.add({.name = "activity_attendance",
                              .unit = "attendances",
                              .description = "Attendances at activities (festivals, meals, "
                                             "cultural events, language classes, home visits), by "
                                             "ethnic group.",
                              .dims = {{"group", pop.group_names}},
                              .summary = output::EndRule::Total,
                              .key = true});
  by_event_ = recorder.add(
      {.name = "activity_attendance_by_event",
       .unit = "attendances",
       .description = "Attendances by activity (as named in activities.events).",
       .dims = {{"activity", names.empty() ? std::vector<std::string>{"none"} : names}},
       .summary = output::EndRule::Total});
  held_ = recorder.add(
      {.name = "activities_held",
       .unit = "days",
       .description = "Days each activity was held (its calendar; an event run by a volunteer "
                      "team only while the team has members), by activity.",
       .dims = {{"activity", names.empty() ? std::vector<std::string>{"none"} : names}},
       .summary = output::EndRule::Total});
}

bool Activities::held(std::size_t e, Day d, const Volunteers& teams) const {
  const Event& ev = events_[e];
  if (ev.spec.team_index == scenario::kAbsentActivityTeam) return false;
  if (ev.spec.team_index >= 0 &&
      (static_cast<std::uint32_t>(ev.spec.team_index) >= teams.teams() ||
       teams.team_members(static_cast<std::uint32_t>(ev.spec.team_index)) == 0))
    return false;
  return ev.calendar(ev.when, policy::date_of(d, start_weekday_));
}

std::vector<std::uint32_t> Activities::attendees(std::size_t e, const population::Population& pop,
                                                 Day d, StreamKey key, const SocialState& social,
                                                 const ResidentState& residents) const {
  const auto& a = events_[e].spec;
  std::vector<std::pair<double, std::uint32_t>> coming;
  for (std::uint32_t r = 0; r < pop.residents(); ++r) {
    if (pop.resident_vacant(r)) continue;
    const Who w = events_[e].who;
    const bool eligible = w == Who::Any || (w == Who::Adults && !pop.resident_child[r]) ||
                          (w == Who::Elderly && pop.resident_elderly[r]) ||
                          (w == Who::LowProficiency && pop.resident_proficiency[r] < 0.5f);
    if (!eligible) continue;
    // Interest, trust (mean 1 at trust 0.5) and time (working-age residents have less).
    const bool free_time = pop.resident_elderly[r] || pop.resident_child[r];
    const double p = a.attendance * social.interest[r] * 2.0 * residents.trust[r] *
                     (free_time ? 1.0 : spec_.working_age_time);
    Stream rng(key, event_purpose(kAttend, e), r, d.value);
    if (rng.uniform() < p) coming.push_back({rng.uniform(), r});
  }
  const auto capacity = static_cast<std::size_t>(a.capacity);
  if (coming.size() > capacity) {  // first come (a random order), first served
    std::nth_element(coming.begin(), coming.begin() + static_cast<std::ptrdiff_t>(capacity),
                     coming.end());
    coming.resize(capacity);
  }
  std::vector<std::uint32_t> out;
  for (const auto& c : coming) out.push_back(c.second);
  std::sort(out.begin(), out.end());
  return out;
}

void Activities::run(population::Population& pop, Day d, StreamKey key, const Volunteers& teams,
                     SocialState& social, ResidentState& residents,
                     const output::Recorder::Row& row) const {
  for (std::size_t e = 0; e < events_.size(); ++e) {
    const Event& ev = events_[e];
    if (!held(e, d, teams)) continue;
    row.add(held_, e, 1.0);
    const auto who = attendees(e, pop, d, key, social, residents);
    if (who.empty()) continue;
    Stream rng(key, event_purpose(kActivityContact, e), 0, d.value);
    for (auto r : who) {
      row.add(attendance_, pop.resident_group[r], 1.0);
      row.add(by_event_, e, 1.0);
      auto& prof = pop.resident_proficiency[r];
      prof = std::min(1.0f, prof + static_cast<float>(ev.spec.proficiency_gain * (1.0 - prof)));
      residents.trust[r] =
          std::min(1.0f, residents.trust[r] + static_cast<float>(ev.spec.trust_gain));
      residents.belonging[r] =
          std::min(1.0f, residents.belonging[r] + static_cast<float>(ev.spec.belonging_gain));
      wellbeing_.participated(residents, r);
      for (std::int64_t k = 0; k < ev.spec.contacts_per_attendee; ++k) {
        std::uint32_t partner = kNoPartner;
        if (ev.anyone) {  // e.g. a volunteer visiting from anywhere
          for (int tries = 0; tries < 8 && partner == kNoPartner; ++tries) {
            const auto p = static_cast<std::uint32_t>(rng.below(pop.residents()));
            if (!pop.resident_vacant(p) && !pop.resident_child[p]) partner = p;
          }
        } else if (who.size() > 1) {
          partner = who[rng.below(who.size())];
        }
        if (partner == kNoPartner || partner == r) continue;
        social.meet(r, partner, ev.quality, true, pop, contact_, rng);
      }
    }
  }
}

}  // namespace commsim::model
