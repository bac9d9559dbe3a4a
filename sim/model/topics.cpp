#include "sim/model/topics.hpp"

#include <algorithm>
#include <cmath>

namespace commsim::model {

namespace {
constexpr Purpose kCost = purpose("topics.cost");
constexpr Purpose kDelay = purpose("topics.delay");
constexpr Purpose kWish = purpose("topics.micro_wish");

std::uint64_t topic_key(std::uint16_t type, std::uint32_t place) {
  return (static_cast<std::uint64_t>(type) << 32) | place;
}
}  // namespace

TopicPipeline::TopicPipeline(const scenario::Scenario& s, const population::Population& pop,
                             output::Recorder& recorder)
    : spec_(s.topics),
      wellbeing_(s.wellbeing),
      order_(policy::topic_order(s.topics.selection)),
      open_needs_(pop.grids()),
      cursor_(pop.grids(), 0) {
  for (const auto& t : s.needs.types) {
    type_names_.push_back(t.name);
    scope_.push_back(t.scope == scenario::NeedScope::Stairwell  ? 1
                     : t.scope == scenario::NeedScope::Building ? 2
                                                                : 0);
  }
  using output::EndRule;
  const auto count = [&](const char* name, const char* unit, const char* doc, bool key) {
    return recorder.add(
        {.name = name, .unit = unit, .description = doc, .summary = EndRule::Total, .key = key});
  };
  raised_ = count("topics_raised", "topics", "New topics raised at council meetings.", false);
  on_agenda_ =
      count("topics_on_agenda", "topics", "Topics deliberated at council meetings.", false);
  adopted_ = count("topics_adopted", "topics", "Topics adopted by a council decision.", true);
  implemented_ = count("topics_implemented", "topics", "Adopted topics implemented (fixed).", true);
  needs_fixed_ = count("needs_fixed_by_councils", "needs",
                       "Shared needs resolved because a council topic was implemented.", false);
  agreement_metric_ = recorder.add({.name = "agreement",
                                    .unit = "share",
                                    .description = "Share of participants agreeing at a council "
                                                   "decision (mean over the day's decisions).",
                                    .combine = output::Combine::Ratio});
  spent_ =
      recorder.add({.name = "consultation_spending",
                    .unit = "yuan",
                    .description = "Money spent on implemented topics and micro-wishes, by source.",
                    .dims = {{"source", {"community_budget", "co_building"}}},
                    .summary = EndRule::Total,
                    .key = true});
  wishes_ = recorder.add(
      {.name = "micro_wishes",
       .unit = "wishes",
       .description = "Residents' micro-wishes, fulfilled by co-building funds or unfunded.",
       .dims = {{"outcome", {"fulfilled", "unfunded"}}},
       .summary = EndRule::Total});
}

std::uint32_t TopicPipeline::place_of(const population::Population& pop, std::uint32_t r,
                                      std::uint16_t type) const {
  const std::uint32_t s = pop.household_stairwell[pop.resident_household[r]];
  return scope_[type] == 1 ? s : pop.stairwell_building[s];
}

population::Range TopicPipeline::affected(const population::Population& pop,
                                          std::uint32_t t) const {
  const Topic& topic = topics_[t];
  return scope_[topic.type] == 1 ? pop.stairwell_residents(topic.place)
                                 : pop.building_residents(topic.place);
}

void TopicPipeline::refresh(std::uint32_t g, const WorkOrders& needs) {
  auto& open = open_needs_[g];
  for (auto i = cursor_[g]; i < needs.log.size(); ++i)
    if (scope_[needs.log[i].type] != 0) open.push_back(i);
  cursor_[g] = static_cast<std::uint32_t>(needs.log.size());
  std::erase_if(open, [&](std::uint32_t i) {
    return needs.log[i].state == NeedState::Resolved ||
           needs.log[i].state == NeedState::ClosedUnresolved;
  });
}

void TopicPipeline::raise(const population::Population& pop,
                          std::span<const std::uint32_t> attendees, std::uint32_t grid_begin,
                          std::uint32_t grid_end, std::vector<WorkOrders>& needs, Day d,
                          const output::Recorder::Row& row) {
  // Attendees per stairwell and per building (few: sorted lists, counted by binary search).
  std::vector<std::uint32_t> stairwells, buildings;
  for (auto r : attendees) {
    const std::uint32_t s = pop.household_stairwell[pop.resident_household[r]];
    stairwells.push_back(s);
    buildings.push_back(pop.stairwell_building[s]);
  }
  std::sort(stairwells.begin(), stairwells.end());
  std::sort(buildings.begin(), buildings.end());
  const auto count = [](const std::vector<std::uint32_t>& v, std::uint32_t x) {
    const auto [lo, hi] = std::equal_range(v.begin(), v.end(), x);
    return static_cast<std::uint32_t>(hi - lo);
  };
  for (std::uint32_t g = grid_begin; g < grid_end; ++g) {
    refresh(g, needs[g]);
    for (auto i : open_needs_[g]) {
      Need& need = needs[g].log[i];
      const std::uint32_t by = count(scope_[need.type] == 1 ? stairwells : buildings, need.place);
      if (by == 0) continue;
      if (need.state == NeedState::Unreported) needs[g].raised.push_back(i);
      const auto key = topic_key(need.type, need.place);
      auto it = open_topic_.find(key);
      if (it == open_topic_.end()) {
        Topic t;
        t.grid = g;
        t.place = need.place;
        t.type = need.type;
        t.severity = need.severity;
        t.day_raised = d.value;
        it = open_topic_.emplace(key, static_cast<std::uint32_t>(topics_.size())).first;
        topics_.push_back(t);
        row.add(raised_, 1.0);
      }
      Topic& t = topics_[it->second];
      t.severity = std::max(t.severity, need.severity);
      // Counted once per topic and meeting: by the attendees living at the place.
      if (t.state == TopicState::Candidate && t.raised < by) t.raised = by;
    }
  }
}

void TopicPipeline::at_meetings(const population::Population& pop, Meetings& meetings,
                                std::vector<WorkOrders>& needs, Day d,
                                const output::Recorder::Row& row) {
  for (Meeting& meeting : meetings.today) {
    raise(pop, meeting.present, meeting.grid_begin, meeting.grid_end, needs, d, row);
    meeting.agenda.clear();
    for (auto t : agenda(meeting.grid_begin, meeting.grid_end, row))
      meeting.agenda.push_back({t, topics_[t].severity, affected(pop, t)});
  }
}

void TopicPipeline::record_decisions(const Meetings& meetings, Day d, StreamKey key,
                                     const output::Recorder::Row& row) {
  for (const Meeting& meeting : meetings.today)
    for (const AgendaItem& item : meeting.agenda)
      decide(item.topic, item.agreement, item.adopted, d, key, row);
}

std::vector<std::uint32_t> TopicPipeline::agenda(std::uint32_t grid_begin, std::uint32_t grid_end,
                                                 const output::Recorder::Row& row) const {
  std::vector<policy::TopicKey> candidates;
  for (const auto& [key, t] : open_topic_) {
    const Topic& topic = topics_[t];
    if (topic.state == TopicState::Candidate && topic.raised > 0 && topic.grid >= grid_begin &&
        topic.grid < grid_end)
      candidates.push_back({topic.raised, topic.severity, topic.day_raised, t});
  }
  const auto k =
      std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(spec_.per_meeting));
  // The order ends with the topic id, so the agenda does not depend on the hash map's order.
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                    candidates.end(), order_);
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(candidates[i].id);
  row.add(on_agenda_, static_cast<double>(out.size()));
  return out;
}

void TopicPipeline::decide(std::uint32_t t, double agreement, bool adopted, Day d, StreamKey key,
                           const output::Recorder::Row& row) {
  Topic& topic = topics_[t];
  agreement_.push_back(agreement);
  row.add_ratio(agreement_metric_, 0, agreement);
  topic.raised = 0;
  if (!adopted) return;
  topic.state = TopicState::Adopted;
  topic.day_adopted = d.value;
  Stream rng(key, kCost, t, 0);
  topic.cost = spec_.cost_median * std::exp(spec_.cost_log_sd * rng.normal());
  waiting_money_.push_back(t);
  row.add(adopted_, 1.0);
}

void TopicPipeline::advance(const population::Population& pop, Day d, StreamKey key,
                            std::vector<WorkOrders>& needs, NeedArrival& arrival,
                            ResidentState& residents, const output::Recorder::Row& row) {
  community_budget_ += spec_.community_budget_per_year / 365.0;
  co_building_funds_ += spec_.co_building_per_year / 365.0;
  // Micro-wishes first: they are small and the co-building units answer them as they come. Each
  // is voiced by a resident of an occupied household, drawn uniformly.
  {
    std::uint32_t occupied = 0;
    for (auto v : pop.household_vacant) occupied += v == 0;
    Stream rng(key, kWish, 0, d.value);
    const auto wishes = rng.poisson(occupied * spec_.micro_wish_rate / 365.0);
    std::vector<std::uint32_t> households;
    if (wishes > 0)
      for (std::uint32_t h = 0; h < pop.households(); ++h)
        if (!pop.household_vacant[h]) households.push_back(h);
    for (std::int64_t w = 0; w < wishes; ++w) {
      const auto members = pop.household_residents(households[rng.below(households.size())]);
      const auto r = members.begin + static_cast<std::uint32_t>(rng.below(members.size()));
      if (co_building_funds_ >= spec_.micro_wish_cost) {
        co_building_funds_ -= spec_.micro_wish_cost;
        row.add(spent_, 1, spec_.micro_wish_cost);
        row.add(wishes_, 0, 1.0);
        wellbeing_.wish_fulfilled(residents, r);
      } else {
        row.add(wishes_, 1, 1.0);
      }
    }
  }
  // Adopted topics are paid in order of adoption; one that cannot be paid holds the queue.
  std::size_t paid = 0;
  for (; paid < waiting_money_.size(); ++paid) {
    Topic& topic = topics_[waiting_money_[paid]];
    if (community_budget_ + co_building_funds_ < topic.cost) break;
    const double from_budget = std::min(community_budget_, topic.cost);
    community_budget_ -= from_budget;
    co_building_funds_ -= topic.cost - from_budget;
    row.add(spent_, 0, from_budget);
    row.add(spent_, 1, topic.cost - from_budget);
    topic.state = TopicState::Funded;
    Stream rng(key, kDelay, waiting_money_[paid], 0);
    topic.day_due = d.value + static_cast<std::int32_t>(
                                  std::ceil(rng.exponential(1.0 / spec_.implementation_days)));
  }
  waiting_money_.erase(waiting_money_.begin(),
                       waiting_money_.begin() + static_cast<std::ptrdiff_t>(paid));
  // Due topics are implemented: every open need of the type at the place is fixed (the work-order
  // table closes them, WorkOrderTable::close_council_fixes), and from tomorrow the need's rate at
  // the place is lowered for the fix's lifetime.
  const auto lifetime = static_cast<std::int32_t>(std::lround(spec_.fix_lifetime_days));
  for (std::uint32_t t = 0; t < topics_.size(); ++t) {
    Topic& topic = topics_[t];
    if (topic.state != TopicState::Funded || topic.day_due > d.value) continue;
    topic.state = TopicState::Implemented;
    topic.day_implemented = d.value;
    open_topic_.erase(topic_key(topic.type, topic.place));
    row.add(implemented_, 1.0);
    arrival.lower_rate(topic.type, topic.place, Day(d.value + 1 + lifetime),
                       1.0 - spec_.fix_rate_reduction);
    refresh(topic.grid, needs[topic.grid]);
    for (auto i : open_needs_[topic.grid]) {
      const Need& need = needs[topic.grid].log[i];
      if (need.type != topic.type || need.place != topic.place) continue;
      needs[topic.grid].fixed.push_back(i);
      if (need.recorded()) row.add(needs_fixed_, 1.0);
    }
  }
}

void TopicPipeline::declare_summaries(output::Recorder& recorder) const {
  using output::Combine;
  using output::Reduced;
  // Days from first raising to implementation, and the number implemented, by topic type.
  const auto implemented = [this] {
    std::pair<std::vector<double>, std::vector<double>> days_count{
        std::vector<double>(type_names_.size(), 0.0), std::vector<double>(type_names_.size(), 0.0)};
    auto& [days, count] = days_count;
    for (const auto& t : topics_) {
      if (t.state != TopicState::Implemented || t.day_implemented < 0) continue;  // burn-in
      days[t.type] += t.day_implemented - t.day_raised;
      count[t.type] += 1;
    }
    return days_count;
  };
  const output::Dimension types{"need_type", type_names_};
  recorder.add_summary(
      {.name = "topic_days_to_fix",
       .unit = "days",
       .description = "Mean days from a topic's first raising to its implementation, by topic "
                      "(need type); NaN where none was implemented.",
       .dims = {types},
       .combine = Combine::Ratio,
       .rule = "mean_over_implemented_topics",
       .key = true},
      [implemented](const output::Recorder&) {
        auto [days, count] = implemented();
        std::vector<double> mean(days.size());
        for (std::size_t k = 0; k < mean.size(); ++k)
          mean[k] = count[k] > 0 ? days[k] / count[k] : std::nan("");
        return Reduced{std::move(mean), std::move(count)};
      });
  recorder.add_summary(
      {.name = "topics_implemented_by_type",
       .unit = "topics",
       .description = "Topics implemented over the run, by topic (need type).",
       .dims = {types},
       .rule = "count_over_run",
       .source = "topics_implemented"},
      [implemented](const output::Recorder&) { return Reduced{implemented().second}; });
  recorder.add_summary(
      {.name = "agreement_mean",
       .unit = "share",
       .description = "Mean share of participants agreeing at a council "
                      "decision, over all decisions.",
       .combine = Combine::Ratio,
       .rule = "mean_over_decisions",
       .source = "agreement",
       .key = true},
      [this](const output::Recorder&) {
        double total = 0;
        for (double a : agreement_) total += a;
        const auto decisions = static_cast<double>(agreement_.size());
        return Reduced{{agreement_.empty() ? std::nan("") : total / decisions}, {decisions}};
      });
}

}  // namespace commsim::model
