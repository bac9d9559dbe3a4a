#include "sim/model/casework.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace commsim::model {

namespace {
constexpr Purpose kNeedDraws = purpose("casework.need");
constexpr Purpose kChannelDraw = purpose("reporting.channel");
constexpr Purpose kStewards = purpose("organisation.stewards");
constexpr Purpose kWhistle = purpose("casework.whistle");
std::uint64_t need_entity(std::uint32_t g, std::uint32_t i) {
  return (static_cast<std::uint64_t>(g) << 32) | i;
}
}  // namespace

std::vector<std::string> level_names() {
  return {"grid", "community", "subdistrict", "council"};
}

std::vector<std::string> whistle_kind_names() {
  return {"management_service", "key_task", "emergency"};
}

std::vector<std::string> handler_names() {
  return {"full_time", "part_time", "volunteer", "steward", "centre", "department", "council"};
}

Casework::Casework(const scenario::Scenario& s, const population::Population& pop,
                   output::Recorder& recorder, std::vector<std::string> need_types, StreamKey key,
                   ResidentState& residents)
    : key_(key),
      reporting_(s.reporting),
      spec_(s.casework),
      staffing_(s.staffing),
      levels_(s.organisation.levels),
      steward_mediation_(s.organisation.steward_mediation),
      start_weekday_(s.run.start_weekday),
      plan_(plan_staff(s.staffing, pop.grids(), pop.residents())),
      volunteers_(s.volunteers, need_types, pop),
      wellbeing_(s.wellbeing),
      priority_(policy::queue_priority(s.casework.queue_priority)),
      hours_(s.staffing.hours_per_day),
      grids_(pop.grids()) {
  wellbeing_.initialise(residents, pop.residents(), key);
  const std::size_t types = need_types.size();
  mean_hours_.assign(types, spec_.service_mean_hours);
  distribution_.assign(types, spec_.service_distribution);
  service_cv_.assign(types, spec_.service_cv);
  commitment_.assign(types, spec_.commitment_days);
  min_level_.assign(types, 0);
  scope_.assign(types, scenario::NeedScope::Resident);
  for (std::size_t t = 0; t < types && t < s.needs.types.size(); ++t)
    if (s.needs.types[t].name == need_types[t]) scope_[t] = s.needs.types[t].scope;
  for (const auto& t : spec_.types) {
    const std::size_t i = t.need_type;  // resolved by the scenario layer
    mean_hours_[i] = t.mean_hours;
    if (t.distribution) distribution_[i] = *t.distribution;
    if (t.cv >= 0) service_cv_[i] = t.cv;
    commitment_[i] = t.commitment_days;
    min_level_[i] = static_cast<std::uint8_t>(t.min_level);
  }
  for (std::size_t t = 0; t < types; ++t) {
    if (need_types[t] == "safety_hazard") safety_type_ = static_cast<std::uint16_t>(t);
    if (need_types[t] == "neighbour_dispute") dispute_type_ = static_cast<std::uint16_t>(t);
  }
  // Groups not listed need no language match only if none of their residents has low
  // proficiency; of listed groups, each worker speaks the language with the listed share.
  std::vector<double> language_share(pop.groups(), 0.0);
  for (const auto& l : s.staffing.languages) language_share[l.group_index] = l.share;
  workforce_ = hire_workforce(s.staffing, plan_, language_share, key);
  skill_start_[0] = workforce_.mean_skill(true, plan_);
  skill_start_[1] = workforce_.mean_skill(false, plan_);
  stewarded_.assign(pop.stairwells(), 0);
  if (levels_ == 4)
    for (std::uint32_t st = 0; st < pop.stairwells(); ++st)
      stewarded_[st] = Stream(key, kStewards, st, 0).bernoulli(s.organisation.steward_share);
  for (std::uint32_t g = 0; g < pop.grids(); ++g) {
    const std::uint32_t workers = plan_.full_time[g] + plan_.part_time[g];
    grids_[g].free_at.assign(workers, 0.0);
    grids_[g].carry_need.assign(workers, kNoOrder);
    grids_[g].carry_left.assign(workers, 0.0);
  }
  centre_capacity_ = spec_.community_capacity_hours >= 0 ? spec_.community_capacity_hours
                                                         : plan_.centre * hours_ / 2.0;
  sigma_by_kind_ = spec_.whistle_delay_sigma_by_kind;
  if (sigma_by_kind_.empty()) sigma_by_kind_.assign(3, spec_.whistle_delay_sigma);
  response_by_kind_ = spec_.department_response_by_kind;
  if (response_by_kind_.empty()) response_by_kind_.assign(3, spec_.department_response);

  const output::Dimension channels{"channel", channel_names()};
  const output::Dimension levels{"level", level_names()};
  const output::Dimension groups{"group", pop.group_names};
  const std::vector<std::string> measure_names = {"sense_of_gain", "happiness", "security", "trust",
                                                  "belonging"};
  using output::Aggregation;
  reported_ = recorder.add({"needs_reported", "needs", "Needs reported, by channel.", {channels}});
  hidden_ = recorder.add({"needs_hidden", "needs", "Needs still hidden (unreported) at day end."});
  opened_ = recorder.add({"work_orders_opened", "orders", "Work orders opened."});
  resolved_ = recorder.add({"work_orders_resolved",
                            "orders",
                            "Work orders resolved, by the level that closed them.",
                            {levels}});
  open_ = recorder.add({"work_orders_open", "orders", "Work orders open at day end."});
  closure_ = recorder.add({"closure_rate",
                           "share",
                           "Cumulative work orders resolved / cumulative opened.",
                           {},
                           false,
                           Aggregation::Ratio});
  breaches_ = recorder.add({"commitment_breaches", "orders",
                            "Work orders that passed their response-time commitment today."});
  staff_hours_ = recorder.add({"staff_hours",
                               "hours",
                               "Grid workers' hours by activity.",
                               {{"activity", {"patrol", "casework", "paperwork", "training"}}}});
  utilisation_ = recorder.add({"staff_utilisation",
                               "share",
                               "Busy casework hours / available casework hours of grid workers.",
                               {},
                               false,
                               Aggregation::Ratio});
  overtime_ = recorder.add({"overtime_hours", "hours", "Grid workers' hours beyond their day."});
  volunteer_hours_ = recorder.add({"volunteer_hours", "hours", "Volunteers' casework hours."});
  const output::Dimension kinds{"kind", whistle_kind_names()};
  whistles_ = recorder.add({"whistles",
                            "orders",
                            "Orders the subdistrict whistled to a department (first whistles and "
                            "re-whistles), by whistle kind.",
                            {kinds}});
  follow_ups_ = recorder.add({"follow_ups", "orders",
                              "Whistled orders the grid worker followed up after a department's "
                              "response that did not solve them."});
  rewhistles_ = recorder.add({"rewhistles", "orders",
                              "Orders whistled again after a follow-up (rounds after the first)."});
  unresolved_ = recorder.add({"work_orders_unresolved", "orders",
                              "Open work orders past their type's commitment at the start of the "
                              "day (each costs its residents wellbeing.unresolved_decay)."});
  for (int m = 0; m < kMeasures; ++m)
    measures_[m] = recorder.add(
        {measure_names[static_cast<std::size_t>(m)],
         "score 0-1",
         "Mean " + measure_names[static_cast<std::size_t>(m)] + " of residents, by group.",
         {groups},
         false,
         Aggregation::Ratio});
  gap_ = recorder.add({"wellbeing_gap",
                       "score 0-1",
                       "Highest minus lowest group mean of each well-being measure.",
                       {{"measure", measure_names}}});
  worker_skill_ = recorder.add(
      {"worker_skill",
       "score 0-1",
       "Mean skill of grid workers at the start of the day (training on working days raises it).",
       {{"contract", {"full_time", "part_time"}}},
       false,
       Aggregation::Ratio});
  language_matched_ =
      recorder.add({"language_matched",
                    "share",
                    "Share of low-proficiency residents' orders settled or escalated at the grid "
                    "(by workers and volunteers) by someone who speaks their language, by group.",
                    {groups},
                    false,
                    Aggregation::Ratio});
  for (auto& gs : grids_) {
    gs.group_sums.assign(std::size_t(pop.groups()) * kMeasures, 0.0);
    gs.group_count.assign(pop.groups(), 0.0);
    gs.low_handled.assign(pop.groups(), 0.0);
    gs.low_matched.assign(pop.groups(), 0.0);
  }
}

bool Casework::working(Day d) const {
  return (start_weekday_ + d.value) % 7 < staffing_.days_per_week;
}

Casework::Draws Casework::draws(StreamKey key, std::uint32_t g, std::uint32_t i,
                                std::uint16_t type) const {
  Stream rng(key, kNeedDraws, need_entity(g, i), 0);
  Draws out;
  // Fixed-count draws first: the service time last, since distributions use different numbers of
  // draws (fixed none, exponential one, lognormal two), and changing a type's distribution must
  // not shift the need's other draws (common random numbers).
  out.language = rng.uniform();
  out.on_spot = rng.uniform();
  out.community = rng.uniform();
  out.whistle = rng.normal();
  out.respond = rng.uniform();
  out.service = unit_service_time(distribution_[type], service_cv_[type], rng);
  return out;
}

template <class F>
void Casework::for_affected(const population::Population& pop, const Need& need, F&& f) const {
  population::Range who{need.resident, need.resident + 1};
  switch (scope_[need.type]) {
    case scenario::NeedScope::Resident:
      break;
    case scenario::NeedScope::Household:
      who = pop.household_residents(need.place);
      break;
    case scenario::NeedScope::Stairwell:
      who = pop.stairwell_residents(need.place);
      break;
    case scenario::NeedScope::Building:
      who = pop.building_residents(need.place);
      break;
  }
  for (std::uint32_t r = who.begin; r < who.end; ++r)
    if (!pop.resident_vacant(r)) f(r);
}

void Casework::resolve(const population::Population& pop, GridState& gs, std::uint32_t i,
                       Need& need, std::uint8_t level, std::uint8_t handler, Day d, double at,
                       ResidentState& residents, const output::Recorder::Row& row) {
  need.state = NeedState::Resolved;
  need.day_resolved = d.value;
  need.level = level;
  need.handler = handler;
  gs.resolved += 1;
  // Fractional days on the grid clock: whole days would put most orders at 0 and the median
  // would say nothing.
  if (gs.resolved_at.size() <= i) gs.resolved_at.resize(i + 1, std::nan(""));
  gs.resolved_at[i] = at;
  const double days = std::max(0.0, at - gs.report_at[i]) / hours_;
  gs.durations.push_back(days);
  row.add(resolved_, level, 1.0);
  const bool in_time = days <= commitment(need.type), safety = need.type == safety_type_;
  // An order closed late before the day its open-order check would catch it (grid_day counts
  // orders still open on day reported + ceil(commitment) + 1) is a breach too: late for the
  // resident is late for the count.
  if (!in_time &&
      d.value <= need.day_reported + static_cast<int>(std::ceil(commitment(need.type)))) {
    gs.breaches += 1;
    row.add(breaches_, 1.0);
  }
  // A shared need (a stairwell's broken light, a building's leaking roof) is fixed for everyone
  // who lives with it, not only for the resident who raised it.
  for_affected(pop, need,
               [&](std::uint32_t r) { wellbeing_.resolved(residents, r, in_time, safety); });
}

void Casework::report(const population::Population& pop, NeedRef ref, Channel channel, Day d,
                      double at, GridNeeds& needs, ResidentState& residents,
                      const output::Recorder::Row& row) {
  Need& need = needs.log[ref.index];
  if (need.state != NeedState::Unreported) return;
  GridState& gs = grids_[ref.grid];
  need.state = NeedState::Reported;
  need.day_reported = d.value;
  need.channel = channel;
  if (gs.report_at.size() < needs.log.size()) gs.report_at.resize(needs.log.size(), 0.0);
  gs.report_at[ref.index] = at;
  gs.opened += 1;
  gs.open.push_back(ref.index);
  row.add(reported_, channel, 1.0);
  row.add(opened_, 1.0);
  // A steward settles a minor quarrel between neighbours in their stairwell there and then.
  if (channel == kSteward && need.type == dispute_type_ && need.severity == 0 &&
      Stream(key_, kNeedDraws, need_entity(ref.grid, ref.index), 1).uniform() <
          steward_mediation_) {
    resolve(pop, gs, ref.index, need, kLevelGrid, kStewardHandler, d, at, residents, row);
    return;
  }
  gs.waiting.push_back(ref.index);
}

void Casework::grid_day(const population::Population& pop, GridId grid, Day d, StreamKey key,
                        GridNeeds& needs, ResidentState& residents,
                        const output::Recorder::Row& row) {
  const std::uint32_t g = grid.value;
  GridState& gs = grids_[g];
  volunteers_.start_day(pop, g, d.value, (start_weekday_ + d.value) % 7 == 0, key, residents);
  if (gs.report_at.size() < needs.log.size()) gs.report_at.resize(needs.log.size(), 0.0);

  // Open orders: breaches of the commitment (councils' fixes were counted in the ordered phase);
  // every day past it the order is unresolved and wears its residents' gain and trust down.
  double unresolved = 0;
  std::erase_if(gs.open, [&](std::uint32_t i) {
    const Need& need = needs.log[i];
    if (need.state == NeedState::Resolved) return true;
    const int open_days = d.value - need.day_reported;
    const int limit = static_cast<int>(std::ceil(commitment(need.type)));
    if (open_days == limit + 1) {
      gs.breaches += 1;
      row.add(breaches_, 1.0);
    }
    if (open_days > limit) {
      unresolved += 1;
      if (wellbeing_.unresolved_matters())
        for_affected(pop, need, [&](std::uint32_t r) { wellbeing_.unresolved_day(residents, r); });
    }
    return false;
  });
  row.add(unresolved_, unresolved);
  // Today's safety hazards frighten everyone who lives with them (a building's hazard, the whole
  // building), as fixing one reassures them all (resolve()).
  for (std::size_t i = needs.log.size(); i-- > 0 && needs.log[i].day_arisen == d.value;)
    if (needs.log[i].type == safety_type_)
      for_affected(pop, needs.log[i],
                   [&](std::uint32_t r) { wellbeing_.safety_incident(residents, r); });

  // Reporting. Visits spread over the grid's occupied households.
  const bool work = working(d);
  double patrol = volunteers_.patrol_hours(g);
  if (work)
    patrol += plan_.full_time[g] * plan_.ft_hours[kActPatrol] +
              plan_.part_time[g] * plan_.pt_hours[kActPatrol];
  std::uint32_t occupied = 0;
  const auto households = pop.grid_households(grid);
  for (std::uint32_t h = households.begin; h < households.end; ++h)
    occupied += !pop.household_vacant[h];
  const double visit =
      occupied ? std::min(1.0, patrol * 60.0 / reporting_.minutes_per_visit / occupied) : 0.0;
  std::vector<std::uint32_t> still;
  still.reserve(needs.unreported.size());
  for (std::uint32_t i : needs.unreported) {
    const Need& need = needs.log[i];
    if (need.state != NeedState::Unreported) continue;
    const std::uint32_t stairwell = pop.household_stairwell[pop.resident_household[need.resident]];
    const auto p = report_propensities(reporting_, pop, residents, need.resident, need.severity,
                                       visit, stewarded_[stairwell] != 0);
    Stream rng(key, kChannelDraw, need_entity(g, i), d.value);
    double u = rng.uniform();
    int channel = -1;
    for (int c = 0; c < 4 && channel < 0; ++c) {
      if (u < p[static_cast<std::size_t>(c)]) channel = c;
      u -= p[static_cast<std::size_t>(c)];
    }
    if (channel >= 0) {
      report(pop, {g, i}, static_cast<Channel>(channel), d, (d.value + rng.uniform()) * hours_,
             needs, residents, row);
    } else {
      still.push_back(i);
      wellbeing_.hidden_day(residents, need.resident);
    }
  }
  needs.unreported = std::move(still);

  serve(pop, grid, d, key, needs, residents, row);

  if (work)
    for (int a = 0; a < kActivities; ++a)
      row.add(staff_hours_, static_cast<std::size_t>(a),
              plan_.full_time[g] * plan_.ft_hours[a] + plan_.part_time[g] * plan_.pt_hours[a]);

  // Well-being: adaptation, then the day's means by group.
  const auto people = pop.grid_residents(grid);
  wellbeing_.recover(residents, people.begin, people.end);
  std::fill(gs.group_sums.begin(), gs.group_sums.end(), 0.0);
  std::fill(gs.group_count.begin(), gs.group_count.end(), 0.0);
  for (int m = 0; m < kMeasures; ++m) {
    const auto& v = *Wellbeing::measure(residents, m);
    for (std::uint32_t r = people.begin; r < people.end; ++r) {
      if (pop.resident_vacant(r)) continue;
      const std::uint8_t group = pop.resident_group[r];
      row.add_ratio(measures_[m], group, v[r]);
      gs.group_sums[group * kMeasures + static_cast<std::size_t>(m)] += v[r];
      if (m == 0) gs.group_count[group] += 1;
    }
  }
}

void Casework::serve(const population::Population& pop, GridId grid, Day d, StreamKey key,
                     GridNeeds& needs, ResidentState& residents, const output::Recorder::Row& row) {
  const std::uint32_t g = grid.value;
  GridState& gs = grids_[g];
  std::erase_if(gs.waiting,
                [&](std::uint32_t i) { return needs.log[i].state != NeedState::Reported; });
  const double day_start = d.value * hours_, day_end = (d.value + 1) * hours_;
  const auto& skill = workforce_.skill[g];
  for (std::size_t w = 0; w < skill.size(); ++w)
    row.add_ratio(worker_skill_, w < plan_.full_time[g] ? 0 : 1, skill[w]);
  // Whether the one who handles the order speaks a low-proficiency resident's language: worker w
  // speaks the languages drawn for them; a volunteer team does if it has a member of the
  // resident's ethnic group in this grid (volunteers are residents, §3.12).
  const auto matches = [&](const Need& need, std::size_t w) {
    if (pop.resident_proficiency[need.resident] >= 0.5f) return true;
    return workforce_.speaks_language(g, w, pop.resident_group[need.resident]);
  };
  const auto team_matches = [&](const Need& need, std::uint32_t t) {
    if (pop.resident_proficiency[need.resident] >= 0.5f) return true;
    return volunteers_.speaks(t, g, pop.resident_group[need.resident]);
  };
  const auto service_of = [&](const Need& need, const Draws& dr, bool matched) {
    return dr.service * mean_hours_[need.type] * (matched ? 1.0 : 1.0 / spec_.language_penalty);
  };
  const auto outcome = [&](std::uint32_t i, std::uint8_t handler, double skill_of, bool matched,
                           const Draws& dr, double at) {
    Need& need = needs.log[i];
    if (pop.resident_proficiency[need.resident] < 0.5f) {
      const std::uint8_t group = pop.resident_group[need.resident];
      gs.low_handled[group] += 1;
      gs.low_matched[group] += matched;
      row.add_ratio(language_matched_, group, matched ? 1.0 : 0.0);
    }
    const double p = spec_.on_the_spot[need.severity] * skill_on_the_spot(skill_of) *
                     (matched ? 1.0 : spec_.language_penalty);
    if (min_level_[need.type] == kLevelGrid && dr.on_spot < p) {
      resolve(pop, gs, i, need, kLevelGrid, handler, d, at, residents, row);
    } else {
      gs.escalate.push_back(i);
      wellbeing_.escalated(residents, need.resident);
    }
  };

  // Volunteers first take the orders of their task types reported by the end of today.
  double volunteer = 0;
  for (std::uint32_t t = 0; t < volunteers_.teams(); ++t) {
    // The team works its orders from the start of the day with as many members on duty at once
    // as its hours for the day fill whole days (at least one): each order goes to the member
    // free first, so a busy team's last orders finish late in the day, not all at once.
    const auto on_duty = static_cast<std::size_t>(
        std::max(1.0, std::ceil(volunteers_.hours_left(t, g) / hours_ - 1e-9)));
    std::vector<double>& duty = gs.volunteer_duty;  // reused: no allocation in the daily loop
    duty.assign(on_duty, day_start);
    std::erase_if(gs.waiting, [&](std::uint32_t i) {
      const Need& need = needs.log[i];
      // Volunteers leave to the grid worker what only a higher level can solve, and settle on
      // the spot no more often than a grid worker would: what they cannot settle escalates.
      if (!volunteers_.takes(t, need.type) || min_level_[need.type] != kLevelGrid ||
          gs.report_at[i] >= day_end)
        return false;
      const auto first = std::min_element(duty.begin(), duty.end());
      if (volunteers_.hours_left(t, g) <= 0 || *first >= day_end) return false;
      const Draws dr = draws(key, g, i, need.type);
      const bool matched = team_matches(need, t);
      const double hours = service_of(need, dr, matched);
      volunteers_.work(t, g, hours);
      volunteer += hours;
      // Volunteers settle orders with the full-time workers' mean skill (staffing.skill).
      *first = std::max(*first, gs.report_at[i]) + hours;
      outcome(i, kVolunteer, staffing_.skill, matched, dr, *first);
      return true;
    });
  }
  row.add(volunteer_hours_, volunteer);

  if (!working(d)) return;
  const std::size_t workers = gs.free_at.size();
  const auto window = [&](std::size_t w) {
    return day_start +
           (w < plan_.full_time[g] ? plan_.ft_hours[kActCasework] : plan_.pt_hours[kActCasework]);
  };
  const auto handler_of = [&](std::size_t w) -> std::uint8_t {
    return w < plan_.full_time[g] ? kFullTime : kPartTime;
  };
  double busy = 0, available = 0, overtime = 0;
  // Carried orders first: their remaining hours are worked off from the start of this working
  // day's window, so weekends and days off pause them rather than serve them.
  for (std::size_t w = 0; w < workers; ++w) {
    const double length = window(w) - day_start;
    available += length;
    gs.free_at[w] = day_start;
    const std::uint32_t i = gs.carry_need[w];
    if (i == kNoOrder) continue;
    if (gs.carry_left[w] > length) {
      busy += length;
      gs.carry_left[w] -= length;
      gs.free_at[w] = window(w);
      continue;
    }
    busy += gs.carry_left[w];
    gs.free_at[w] = day_start + gs.carry_left[w];
    gs.carry_need[w] = kNoOrder;
    gs.carry_left[w] = 0;
    // A council topic may have fixed it meanwhile.
    if (needs.log[i].state != NeedState::Reported) continue;
    const Draws dr = draws(key, g, i, needs.log[i].type);
    outcome(i, handler_of(w), skill[w], matches(needs.log[i], w), dr, gs.free_at[w]);
  }
  while (true) {
    std::size_t w = workers;
    double start = 0;
    for (std::size_t k = 0; k < workers; ++k) {
      const double s = std::max(gs.free_at[k], day_start);
      if (s < window(k) && (w == workers || s < start)) w = k, start = s;
    }
    if (w == workers) break;
    std::size_t best = gs.waiting.size();
    double next = day_end * 2;
    policy::OrderKey best_key;
    for (std::size_t q = 0; q < gs.waiting.size(); ++q) {
      const std::uint32_t i = gs.waiting[q];
      if (gs.report_at[i] > start) {
        next = std::min(next, gs.report_at[i]);
        continue;
      }
      const Need& need = needs.log[i];
      const policy::OrderKey k{
          gs.report_at[i], need.severity,
          static_cast<std::uint8_t>(pop.resident_elderly[need.resident] ||
                                    pop.resident_proficiency[need.resident] < 0.5f),
          i};
      if (best == gs.waiting.size() || priority_(k, best_key)) best = q, best_key = k;
    }
    if (best == gs.waiting.size()) {
      gs.free_at[w] = next < window(w) ? next : window(w);
      continue;
    }
    const std::uint32_t i = gs.waiting[best];
    gs.waiting[best] = gs.waiting.back();
    gs.waiting.pop_back();
    const Need& need = needs.log[i];
    const Draws dr = draws(key, g, i, need.type);
    const bool matched = matches(need, w);
    const double service =
        service_of(need, dr, matched) * skill_service_time(skill[w], staffing_.skill_time_factor);
    const double wait = start - gs.report_at[i];
    gs.wait_sum += wait;
    gs.waited += wait > 1e-9;
    gs.served += 1;
    const double end = start + service;
    if (end <= window(w)) {
      busy += service;
      gs.free_at[w] = end;
      outcome(i, handler_of(w), skill[w], matched, dr, end);
    } else if (end - window(w) <= staffing_.overtime_limit) {
      busy += window(w) - start;
      overtime += end - window(w);
      gs.free_at[w] = window(w);
      outcome(i, handler_of(w), skill[w], matched, dr, end);
    } else {
      // The remainder carries over to the worker's next working day; for a worker whose whole
      // day is casework this is exactly continuous working time.
      busy += window(w) - start;
      gs.free_at[w] = window(w);
      gs.carry_need[w] = i;
      gs.carry_left[w] = end - window(w);
    }
  }
  row.add_ratio(utilisation_, 0, busy, available);
  gs.busy += busy;
  gs.available += available;
  row.add(overtime_, overtime);
  // Training hours of the working day raise skills from the next order on.
  train(workforce_, g, plan_, staffing_.training_gain);
}

void Casework::whistle(StreamKey key, NeedRef ref, const Need& need, std::uint8_t round,
                       double from, const output::Recorder::Row& row) {
  double u = 0, z = 0;
  if (round == 0) {
    const Draws dr = draws(key, ref.grid, ref.index, need.type);
    u = dr.respond;
    z = dr.whistle;
  } else {
    Stream rng(key, kWhistle, need_entity(ref.grid, ref.index), round);
    u = rng.uniform();
    z = rng.normal();
  }
  const std::size_t kind = std::min<std::size_t>(need.severity, 2);
  const double delay =
      std::exp(std::log(spec_.whistle_delay_days[kind]) + sigma_by_kind_[kind] * z);
  // A department answers on a later day at the earliest.
  whistled_.push_back(
      {ref, from + std::max(1.0, delay) * hours_, round, u < response_by_kind_[kind], false});
  whistles_total_[kind] += 1;
  row.add(whistles_, kind, 1.0);
}

void Casework::community_day(const population::Population& pop, Day d, StreamKey key,
                             std::vector<GridNeeds>& needs, ResidentState& residents,
                             const output::Recorder::Row& row) {
  // Orders the councils' topics fixed today (Model II), counted the same day so the totals agree
  // with the needs' records; the community phase ends the day, so they close at its end.
  const double day_end = (d.value + 1) * hours_;
  for (std::uint32_t g = 0; g < grids_.size(); ++g) {
    GridState& gs = grids_[g];
    std::erase_if(gs.open, [&](std::uint32_t i) {
      Need& need = needs[g].log[i];
      if (need.state != NeedState::Resolved) return false;
      if (need.level == kLevelCouncil && need.handler == kNone) {
        resolve(pop, gs, i, need, kLevelCouncil, kCouncilHandler, Day(need.day_resolved), day_end,
                residents, row);
      }
      return true;
    });
  }
  for (std::uint32_t g = 0; g < grids_.size(); ++g) {
    for (auto i : grids_[g].escalate) centre_queue_.push_back({g, i});
    grids_[g].escalate.clear();
  }
  if (working(d) && centre_capacity_ > 0) {
    // The centre's clock runs in its own capacity hours; work left over from the last working
    // day (not the weekend) comes first.
    const double start = d.value * centre_capacity_, end = (d.value + 1) * centre_capacity_;
    centre_clock_ = start + centre_carry_;
    const auto grid_clock = [&](double clock) {
      return (d.value + (clock - start) / centre_capacity_) * hours_;
    };
    std::size_t head = 0;
    for (; head < centre_queue_.size() && centre_clock_ < end; ++head) {
      const NeedRef ref = centre_queue_[head];
      Need& need = needs[ref.grid].log[ref.index];
      if (need.state != NeedState::Reported) continue;
      const Draws dr = draws(key, ref.grid, ref.index, need.type);
      centre_clock_ += dr.service * mean_hours_[need.type] * spec_.community_service_multiplier;
      if (min_level_[need.type] <= kLevelCommunity && dr.community < spec_.community_resolution) {
        resolve(pop, grids_[ref.grid], ref.index, need, kLevelCommunity, kCentre, d,
                grid_clock(centre_clock_), residents, row);
      } else {
        whistle(key, ref, need, 0, grid_clock(centre_clock_), row);
      }
    }
    centre_queue_.erase(centre_queue_.begin(),
                        centre_queue_.begin() + static_cast<std::ptrdiff_t>(head));
    centre_carry_ = std::max(0.0, centre_clock_ - end);
  }
  // Departments' responses and grid workers' follow-ups due today; a follow-up with
  // follow_up_days 0 falls on the day of the response, hence the loop.
  std::vector<Whistled> due;
  while (true) {
    due.clear();
    std::erase_if(whistled_, [&](const Whistled& w) {
      if (w.at >= day_end) return false;
      due.push_back(w);
      return true;
    });
    if (due.empty()) break;
    for (const Whistled& w : due) {
      Need& need = needs[w.ref.grid].log[w.ref.index];
      if (need.state != NeedState::Reported) continue;  // a council topic fixed it meanwhile
      if (!w.follow_up) {
        if (w.solves)
          resolve(pop, grids_[w.ref.grid], w.ref.index, need, kLevelSubdistrict, kDept, d, w.at,
                  residents, row);
        else
          whistled_.push_back({w.ref, w.at + spec_.follow_up_days * hours_, w.round, false, true});
        continue;
      }
      follow_ups_total_ += 1;
      row.add(follow_ups_, 1.0);
      if (w.round + 1 < spec_.max_whistles) {
        rewhistles_total_ += 1;
        row.add(rewhistles_, 1.0);
        whistle(key, w.ref, need, static_cast<std::uint8_t>(w.round + 1), w.at, row);
      }
    }
  }

  // Needs still hidden at the end of the day (after councils raised and topics fixed some).
  double hidden = 0;
  for (const auto& grid : needs)
    for (auto i : grid.unreported) hidden += grid.log[i].state == NeedState::Unreported;
  row.add(hidden_, hidden);
  hidden_end_ = hidden;
  // Open orders past their commitment at the end of today (the start of tomorrow), as grid_day
  // counts them; the value of the last day is the run's censored, unresolved tail.
  // With them, the ages of all open orders at the end of today: time_to_resolution_mean_with_open.
  unresolved_end_ = 0;
  open_age_days_end_ = 0;
  for (std::uint32_t g = 0; g < grids_.size(); ++g)
    for (auto i : grids_[g].open) {
      const Need& need = needs[g].log[i];
      if (need.state != NeedState::Reported) continue;
      unresolved_end_ +=
          d.value + 1 - need.day_reported > static_cast<int>(std::ceil(commitment(need.type)));
      open_age_days_end_ += std::max(0.0, (d.value + 1) * hours_ - grids_[g].report_at[i]) / hours_;
    }

  std::uint64_t opened = 0, resolved = 0;
  std::vector<double> sums(std::size_t(pop.groups()) * kMeasures, 0.0), count(pop.groups(), 0.0);
  for (const auto& gs : grids_) {
    opened += gs.opened;
    resolved += gs.resolved;
    for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += gs.group_sums[k];
    for (std::size_t k = 0; k < count.size(); ++k) count[k] += gs.group_count[k];
  }
  row.add_ratio(closure_, 0, static_cast<double>(resolved), static_cast<double>(opened));
  row.add(open_, static_cast<double>(opened - resolved));
  for (int m = 0; m < kMeasures; ++m) {
    double lo = 1e300, hi = -1e300;
    for (std::size_t k = 0; k < count.size(); ++k) {
      if (count[k] <= 0) continue;
      const double mean = sums[k * kMeasures + static_cast<std::size_t>(m)] / count[k];
      lo = std::min(lo, mean);
      hi = std::max(hi, mean);
    }
    row.add(gap_, static_cast<std::size_t>(m), hi >= lo ? hi - lo : 0.0);
  }
}

std::vector<output::Metric> Casework::summaries(const population::Population& pop) const {
  (void)pop;
  std::vector<output::Metric> out;
  std::vector<double> durations;
  double opened = 0, resolved = 0, wait = 0, waited = 0, served = 0, busy = 0, available = 0;
  std::vector<double> by_level(4, 0.0);
  for (const auto& gs : grids_) {
    durations.insert(durations.end(), gs.durations.begin(), gs.durations.end());
    opened += static_cast<double>(gs.opened);
    resolved += static_cast<double>(gs.resolved);
    wait += gs.wait_sum;
    waited += gs.waited;
    served += gs.served;
    busy += gs.busy;
    available += gs.available;
  }
  std::sort(durations.begin(), durations.end());
  const auto pct = [&](double q) {
    if (durations.empty()) return std::nan("");
    return durations[std::min(durations.size() - 1,
                              static_cast<std::size_t>(q * static_cast<double>(durations.size())))];
  };
  const double closed_days = std::accumulate(durations.begin(), durations.end(), 0.0);
  const double mean =
      durations.empty() ? std::nan("") : closed_days / static_cast<double>(durations.size());
  out.push_back({"closure_rate",
                 "share",
                 "Work orders resolved / opened over the run.",
                 {},
                 {opened > 0 ? resolved / opened : std::nan("")}});
  const double open_end = opened - resolved;
  out.push_back({"work_orders_open_end",
                 "orders",
                 "Work orders still open at the end of the run (opened - resolved).",
                 {},
                 {open_end}});
  out.push_back({"unresolved_share",
                 "share",
                 "Work orders open at the end of the run / opened (1 - closure_rate).",
                 {},
                 {opened > 0 ? open_end / opened : std::nan("")}});
  out.push_back(
      {"work_orders_unresolved",
       "orders",
       "Work orders open at the end of the run and past their type's commitment; they and "
       "the other open orders are censored out of time_to_resolution_*.",
       {},
       {unresolved_end_}});
  // Fractional days: grid-clock hours from report to resolution / staffing.hours_per_day. Closed
  // orders only: the work_orders_open_end still open are right-censored, so these understate the
  // time to resolution of the whole cohort.
  out.push_back({"time_to_resolution_mean",
                 "days",
                 "Mean time from report to resolution, in fractional days, over closed orders "
                 "only (open ones are censored: work_orders_open_end).",
                 {},
                 {mean}});
  // Counting each open order at its age at the end: a lower bound on the cohort's mean that,
  // unlike the closed-only mean, cannot improve by leaving more orders open. Closed and open
  // orders together are the orders opened.
  const double with_open = opened > 0 ? (closed_days + open_age_days_end_) / opened : std::nan("");
  out.push_back({"time_to_resolution_mean_with_open",
                 "days",
                 "Mean time from report to resolution, in fractional days, counting each order "
                 "still open at the end at its age then: a lower bound on the mean over all "
                 "orders, which leaving orders open cannot lower.",
                 {},
                 {with_open}});
  out.push_back({"time_to_resolution_p50",
                 "days",
                 "Median time from report to resolution, in fractional days, over closed orders "
                 "only.",
                 {},
                 {pct(0.5)}});
  out.push_back({"time_to_resolution_p90",
                 "days",
                 "90th percentile of the time from report to resolution, in fractional days, over "
                 "closed orders only.",
                 {},
                 {pct(0.9)}});
  out.push_back({"needs_hidden_end",
                 "needs",
                 "Needs still hidden (never reported) at the end of the run.",
                 {},
                 {hidden_end_}});
  out.push_back({"whistles",
                 "orders",
                 "Whistles to departments over the run (first whistles and re-whistles), by "
                 "whistle kind.",
                 {{"kind", whistle_kind_names()}},
                 whistles_total_});
  out.push_back({"follow_ups",
                 "orders",
                 "Follow-ups of whistled orders after unsuccessful department responses.",
                 {},
                 {static_cast<double>(follow_ups_total_)}});
  out.push_back({"rewhistles",
                 "orders",
                 "Orders whistled again after a follow-up.",
                 {},
                 {static_cast<double>(rewhistles_total_)}});
  out.push_back({"staff_utilisation",
                 "share",
                 "Grid workers' busy casework hours / available casework hours over the run.",
                 {},
                 {available > 0 ? busy / available : std::nan("")}});
  out.push_back({"casework_wait_hours_mean",
                 "hours",
                 "Mean hours on the grid clock (staffing.hours_per_day a calendar day, weekends "
                 "included) a grid work order waited in queue before service.",
                 {},
                 {served > 0 ? wait / served : std::nan("")}});
  out.push_back({"casework_waited_share",
                 "share",
                 "Share of grid work orders that waited before service.",
                 {},
                 {served > 0 ? waited / served : std::nan("")}});
  out.push_back({"full_time_workers",
                 "workers",
                 "Full-time grid workers.",
                 {},
                 {static_cast<double>(plan_.total_full_time())}});
  out.push_back({"part_time_workers",
                 "workers",
                 "Part-time grid workers.",
                 {},
                 {static_cast<double>(plan_.total_part_time())}});
  out.push_back({"centre_workers",
                 "workers",
                 "Full-time workers at the coordination centre.",
                 {},
                 {static_cast<double>(plan_.centre)}});
  out.push_back({"volunteers",
                 "volunteers",
                 "Volunteers at the end of the run.",
                 {},
                 {static_cast<double>(volunteers_.total_members())}});
  out.push_back({"volunteers_by_group",
                 "volunteers",
                 "Volunteers at the end of the run, by ethnic group (team members are residents).",
                 {{"group", pop.group_names}},
                 volunteers_.members_by_group()});
  out.push_back({"volunteer_departures",
                 "volunteers",
                 "Members who left their team during the run: quit when overloaded or moved away.",
                 {},
                 {static_cast<double>(volunteers_.departures())}});
  out.push_back({"volunteer_shortfall",
                 "volunteers",
                 "Team places at the start that no eligible resident of the grid could fill.",
                 {},
                 {static_cast<double>(volunteers_.shortfall())}});
  return out;
}

std::vector<output::Metric> Casework::staff_summaries(const population::Population& pop) const {
  const output::Dimension contract{"contract", {"full_time", "part_time"}};
  const output::Dimension groups{"group", pop.group_names};
  std::vector<double> speak(pop.groups(), 0.0), handled(pop.groups(), 0.0),
      matched(pop.groups(), 0.0);
  double workers = 0;
  for (std::uint32_t g = 0; g < grids_.size(); ++g) {
    for (std::size_t w = 0; w < workforce_.skill[g].size(); ++w) {
      workers += 1;
      for (std::uint32_t k = 0; k < pop.groups(); ++k)
        speak[k] += workforce_.speaks_language(g, w, static_cast<std::uint8_t>(k));
    }
    for (std::size_t k = 0; k < handled.size(); ++k) {
      handled[k] += grids_[g].low_handled[k];
      matched[k] += grids_[g].low_matched[k];
    }
  }
  for (std::size_t k = 0; k < speak.size(); ++k) {
    speak[k] = workers > 0 ? speak[k] / workers : std::nan("");
    matched[k] = handled[k] > 0 ? matched[k] / handled[k] : std::nan("");
  }
  std::vector<output::Metric> out;
  out.push_back({"worker_skill_start",
                 "score 0-1",
                 "Mean skill of grid workers at the start of the run.",
                 {contract},
                 {skill_start_[0], skill_start_[1]}});
  out.push_back({"worker_skill_end",
                 "score 0-1",
                 "Mean skill of grid workers at the end of the run (after training).",
                 {contract},
                 {workforce_.mean_skill(true, plan_), workforce_.mean_skill(false, plan_)}});
  out.push_back({"worker_language_share",
                 "share",
                 "Share of grid workers who speak each group's language (besides the common one).",
                 {groups},
                 std::move(speak)});
  out.push_back({"language_matched_share",
                 "share",
                 "Share of low-proficiency residents' orders settled or escalated at the grid by "
                 "someone who speaks their language, over the run, by group.",
                 {groups},
                 std::move(matched)});
  return out;
}

output::Table Casework::work_order_table(const population::Population& pop,
                                         const std::vector<GridNeeds>& needs,
                                         const std::vector<std::string>& need_types) const {
  std::vector<std::int64_t> id, type, grid, group, arisen, reported, channel, level, resolved,
      handler;
  std::vector<double> days;
  const auto code = [](std::uint8_t v) { return v == kNone ? -1 : static_cast<std::int64_t>(v); };
  for (std::uint32_t g = 0; g < needs.size(); ++g) {
    const GridState& gs = grids_[g];
    for (std::uint32_t i = 0; i < needs[g].log.size(); ++i) {
      const Need& n = needs[g].log[i];
      const bool closed = n.state == NeedState::Resolved;
      id.push_back(i);
      type.push_back(n.type);
      grid.push_back(g);
      group.push_back(pop.resident_group[n.resident]);
      arisen.push_back(n.day_arisen);
      reported.push_back(n.day_reported);
      channel.push_back(code(n.channel));
      level.push_back(closed ? code(n.level) : -1);
      resolved.push_back(closed ? n.day_resolved : -1);
      // Topics fix hidden needs too; they never became work orders, but a council closed them.
      handler.push_back(closed && n.level == kLevelCouncil ? std::int64_t{kCouncilHandler}
                        : closed                           ? code(n.handler)
                                                           : -1);
      const bool timed = closed && n.day_reported >= 0 && i < gs.resolved_at.size() &&
                         !std::isnan(gs.resolved_at[i]);
      days.push_back(timed ? std::max(0.0, gs.resolved_at[i] - gs.report_at[i]) / hours_
                           : std::nan(""));
    }
  }
  const auto grid_names = pop.grid_names();
  output::Table t;
  t.name = "work_orders";
  t.description =
      "One row per need that arose, in grid order, then order of arising; a need never reported "
      "(channel -1) stayed hidden or was fixed by a council topic.";
  const auto column = [&](std::string name, std::string unit, std::string doc,
                          std::vector<std::int64_t> v, std::vector<std::string> labels = {}) {
    t.columns.push_back(
        {std::move(name), std::move(unit), std::move(doc), std::move(v), std::move(labels)});
  };
  column("id", "", "Index of the need in its grid's log; unique together with grid.", id);
  column("type", "", "Need type (labels_type).", type, need_types);
  column("grid", "", "Grid (labels_grid).", grid, grid_names);
  column("resident_group", "", "Ethnic group of the resident who has or raised the need.", group,
         pop.group_names);
  column("day_arisen", "day", "Day the need arose.", arisen);
  column("day_reported", "day", "Day it became a work order; -1 if never reported.", reported);
  column("channel", "", "Reporting channel (labels_channel); -1 if never reported.", channel,
         channel_names());
  column("level", "", "Level that closed it (labels_level); -1 if open at the end.", level,
         level_names());
  column("day_resolved", "day", "Day it was closed; -1 if open at the end.", resolved);
  column("handler", "", "Who closed it (labels_handler); -1 if open at the end.", handler,
         handler_names());
  t.columns.push_back({"days_to_resolution",
                       "days",
                       "Fractional days from report to resolution (grid clock hours / "
                       "staffing.hours_per_day); NaN if open or never reported.",
                       std::move(days),
                       {}});
  return t;
}

}  // namespace commsim::model
