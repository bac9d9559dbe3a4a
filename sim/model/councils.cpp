#include "sim/model/councils.hpp"

#include <algorithm>

namespace commsim::model {

namespace {
constexpr Purpose kSeats = purpose("councils.seats");
constexpr Purpose kAttend = purpose("councils.attend");
constexpr Purpose kTies = purpose("councils.ties");
constexpr Purpose kOpinions = purpose("deliberation.opinions");
}  // namespace

Councils::Councils(const scenario::Scenario& s, const population::Population& pop,
                   output::Recorder& recorder)
    : spec_(s.councils),
      deliberation_spec_(s.deliberation),
      contact_(s.contact),
      deliberation_(DeliberationRule::from(s.deliberation)),
      wellbeing_(s.wellbeing),
      calendar_(policy::calendar_rule(s.councils.calendar)),
      when_{static_cast<int>(s.councils.weekday), static_cast<int>(s.councils.day_of_month),
            static_cast<int>(s.councils.consultation_month)},
      seat_rule_(policy::seat_rule(s.councils.seat_selection)),
      open_attendance_(s.councils.seat_selection == policy::SeatSelection::Open),
      start_weekday_(s.run.start_weekday) {
  if (s.councils.level == scenario::CouncilLevel::Grid)
    for (std::uint32_t g = 0; g <= pop.grids(); ++g) grid_first_.push_back(g);
  else
    grid_first_ = {0, pop.grids()};
  meetings_ = recorder.add({.name = "council_meetings",
                            .unit = "meetings",
                            .description = "Council meetings held.",
                            .summary = output::EndRule::Total,
                            .key = true});
  attendance_ =
      recorder.add({.name = "council_attendance",
                    .unit = "attendances",
                    .description = "Residents attending council meetings, by ethnic group.",
                    .dims = {{"group", pop.group_names}},
                    .summary = output::EndRule::Total,
                    .key = true});
}

void Councils::meet(const population::Population& pop, Day d, StreamKey key, SocialState& social,
                    ResidentState& residents, Meetings& meetings,
                    const output::Recorder::Row& row) {
  meetings.today.clear();
  attendees_.clear();
  if (!meets(d)) return;
  const double quality = spec_.contact_quality;
  for (std::uint32_t c = 0; c + 1 < grid_first_.size(); ++c) {
    const std::uint32_t g0 = grid_first_[c], g1 = grid_first_[c + 1];
    std::vector<std::uint32_t> eligible;
    for (std::uint32_t r = pop.grid_first_resident[g0]; r < pop.grid_first_resident[g1]; ++r)
      if (!pop.resident_vacant(r) && !pop.resident_child[r]) eligible.push_back(r);
    std::vector<std::uint32_t> seated;
    Stream seat_rng(key, kSeats, c, d.value);
    seat_rule_({eligible, pop.resident_group, pop.groups(), residents.trust, social.interest,
                spec_.seats, spec_.open_attendance},
               seat_rng, seated);
    std::vector<std::uint32_t> present;
    Stream attend_rng(key, kAttend, c, d.value);
    for (auto r : seated)
      if (open_attendance_ || attend_rng.uniform() < spec_.seat_attendance) present.push_back(r);
    row.add(meetings_, 1.0);
    if (present.empty()) continue;
    for (auto r : present) {
      row.add(attendance_, pop.resident_group[r], 1.0);
      residents.trust[r] =
          std::min(1.0f, residents.trust[r] + static_cast<float>(spec_.trust_gain));
      wellbeing_.participated(residents, r);
    }
    Stream tie_rng(key, kTies, c, d.value);
    if (present.size() > 1)
      for (auto r : present)
        for (std::int64_t k = 0; k < spec_.ties_per_participant; ++k) {
          const auto p = present[tie_rng.below(present.size())];
          if (p != r) social.meet(r, p, quality, true, pop, contact_, tie_rng);
        }
    attendees_.insert(attendees_.end(), present.begin(), present.end());
    meetings.today.push_back({g0, g1, std::move(present), {}});
  }
}

void Councils::deliberate(Day d, StreamKey key, Meetings& meetings) const {
  // Residents raise the topic, designated people frame it (topics), the council deliberates.
  for (Meeting& meeting : meetings.today) {
    const auto& present = meeting.present;
    std::vector<float> opinions(present.size());
    for (AgendaItem& item : meeting.agenda) {
      Stream rng(key, kOpinions, item.topic, d.value);
      for (std::size_t i = 0; i < present.size(); ++i) {
        const bool affected = present[i] >= item.affected.begin && present[i] < item.affected.end;
        const double x = rng.uniform() + (affected ? deliberation_spec_.affected_support : 0.0) +
                         deliberation_spec_.severity_support * item.severity;
        opinions[i] = static_cast<float>(std::clamp(x, 0.0, 1.0));
      }
      deliberation_.deliberate(opinions, rng);
      item.agreement = share_agreeing(opinions);
      item.adopted = deliberation_.adopts(item.agreement);
    }
  }
}

}  // namespace commsim::model
