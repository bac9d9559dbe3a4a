#include "sim/model/work_orders.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/model/staff.hpp"

namespace commsim::model {

std::vector<std::string> level_names() {
  return {"grid", "community", "subdistrict", "council"};
}

std::vector<std::string> handler_names() {
  return {"full_time", "part_time", "volunteer", "steward", "centre", "department", "council"};
}

OrderTypes::OrderTypes(const scenario::Scenario& s, const std::vector<std::string>& need_types) {
  const auto& spec = s.casework;
  const std::size_t types = need_types.size();
  mean_hours.assign(types, spec.service_mean_hours);
  distribution.assign(types, spec.service_distribution);
  service_cv.assign(types, spec.service_cv);
  commitment.assign(types, spec.commitment_days);
  min_level.assign(types, 0);
  scope.assign(types, scenario::NeedScope::Resident);
  for (std::size_t t = 0; t < types && t < s.needs.types.size(); ++t)
    if (s.needs.types[t].name == need_types[t]) scope[t] = s.needs.types[t].scope;
  for (const auto& t : spec.types) {
    const std::size_t i = t.need_type;  // resolved by the scenario layer
    mean_hours[i] = t.mean_hours;
    if (t.distribution) distribution[i] = *t.distribution;
    if (t.cv >= 0) service_cv[i] = t.cv;
    commitment[i] = t.commitment_days;
    min_level[i] = static_cast<std::uint8_t>(t.min_level);
  }
  for (std::size_t t = 0; t < types; ++t) {
    if (need_types[t] == "safety_hazard") safety_type = static_cast<std::uint16_t>(t);
    if (need_types[t] == "neighbour_dispute") dispute_type = static_cast<std::uint16_t>(t);
  }
}

NeedDraws need_draws(StreamKey key, std::uint32_t g, std::uint32_t i, std::uint16_t type,
                     const OrderTypes& types) {
  Stream rng(key, kNeedDraws, need_entity(g, i), 0);
  NeedDraws out;
  // Fixed-count draws first: the service time last, since distributions use different numbers of
  // draws (fixed none, exponential one, lognormal two), and changing a type's distribution must
  // not shift the need's other draws (common random numbers).
  out.language = rng.uniform();
  out.on_spot = rng.uniform();
  out.community = rng.uniform();
  out.whistle = rng.normal();
  out.respond = rng.uniform();
  out.service = unit_service_time(types.distribution[type], types.service_cv[type], rng);
  return out;
}

void WorkOrders::grow() {
  const std::size_t n = log.size();
  if (report_at.size() >= n) return;
  report_at.resize(n, 0.0);
  resolved_at.resize(n, std::nan(""));
}

WorkOrderTable::WorkOrderTable(const scenario::Scenario& s, const population::Population& pop,
                               output::Recorder& recorder,
                               const std::vector<std::string>& need_types, StreamKey key)
    : grids(pop.grids()),
      key_(key),
      types_(s, need_types),
      effects_(s.wellbeing),
      hours_(s.staffing.hours_per_day),
      on_the_spot_(s.casework.on_the_spot),
      language_penalty_(s.casework.language_penalty) {
  for (auto& gs : grids) {
    gs.low_handled.assign(pop.groups(), 0.0);
    gs.low_matched.assign(pop.groups(), 0.0);
  }
  const output::Dimension channels{"channel", channel_names()};
  const output::Dimension levels{"level", level_names()};
  const output::Dimension groups{"group", pop.group_names};
  using output::Combine;
  using output::EndRule;
  reported_ = recorder.add({.name = "needs_reported",
                            .unit = "needs",
                            .description = "Needs reported, by channel.",
                            .dims = {channels},
                            .summary = EndRule::Total,
                            .key = true});
  hidden_ = recorder.add({.name = "needs_hidden",
                          .unit = "needs",
                          .description = "Needs still hidden (unreported) at day end."});
  opened_ = recorder.add({.name = "work_orders_opened",
                          .unit = "orders",
                          .description = "Work orders opened.",
                          .summary = EndRule::Total,
                          .key = true});
  resolved_ = recorder.add({.name = "work_orders_resolved",
                            .unit = "orders",
                            .description = "Work orders resolved, by the level that closed them.",
                            .dims = {levels},
                            .summary = EndRule::Total,
                            .key = true});
  left_grid_ = recorder.add(
      {.name = "work_orders_left_grid",
       .unit = "orders",
       .description = "Work orders the grid could not settle, passed up to the community "
                      "coordination centre (the orders that leave the grid: escalated by a grid "
                      "worker, or passed up still waiting past their commitment).",
       .summary = EndRule::Total});
  recorder.add_summary(
      {.name = "resolved_share_by_level",
       .unit = "share",
       .description = "Share of the work orders resolved over the run closed at each level.",
       .dims = {{"level", level_names()}},
       .combine = Combine::Ratio,
       .rule = "share_of_total",
       .source = "work_orders_resolved",
       .key = true,
       .headline = false},
      [id = resolved_](const output::Recorder& r) {
        // Where orders were closed, as shares of all closed orders: every cell's weight.
        const auto series = r.series(id);
        const std::size_t cells = r.cells(id), days = series.size() / cells;
        std::vector<double> share(cells, 0.0);
        double all = 0;
        for (std::size_t d = 0; d < days; ++d)
          for (std::size_t c = 0; c < cells; ++c) share[c] += series[d * cells + c];
        for (double v : share) all += v;
        for (double& v : share) v = all > 0 ? v / all : std::nan("");
        return output::Reduced{std::move(share), std::vector<double>(cells, all)};
      });
  volunteer_share_ = recorder.add(
      {.name = "volunteer_resolved_share",
       .unit = "share",
       .description = "Share of the work orders resolved that volunteers resolved on the spot "
                      "(small needs of their teams' task types: volunteers.small_need_share).",
       .combine = Combine::Ratio,
       .summary = EndRule::Mean,
       .summary_description = "Over the run: work orders volunteers resolved / work orders "
                              "resolved.",
       .key = true});
  closed_unresolved_ = recorder.add(
      {.name = "work_orders_closed_unresolved",
       .unit = "orders",
       .description = "Work orders closed unresolved: no department solved them after the last "
                      "whistle round (casework.max_whistles).",
       .summary = EndRule::Total,
       .key = true});
  recorder.add_summary(
      {.name = "closed_unresolved_share",
       .unit = "share",
       .description = "Work orders closed unresolved over the run / work orders opened over the "
                      "run.",
       .combine = Combine::Ratio,
       .rule = "over_run",
       .source = "work_orders_closed_unresolved"},
      [closed = closed_unresolved_, opened = opened_](const output::Recorder& r) {
        const auto sum = [&r](output::MetricId m) {
          double total = 0;
          for (double v : r.series(m)) total += v;
          return total;
        };
        const double n = sum(opened);
        return output::Reduced{{n > 0 ? sum(closed) / n : std::nan("")}, {n}};
      });
  open_ = recorder.add({.name = "work_orders_open",
                        .unit = "orders",
                        .description = "Work orders open at day end.",
                        .summary = EndRule::Final});
  closure_ = recorder.add({.name = "closure_rate",
                           .unit = "share",
                           .description = "Work orders of the run's cohort (needs that arose on "
                                          "day 0 or later) resolved by today / opened by today.",
                           .combine = Combine::Ratio});
  language_matched_ = recorder.add(
      {.name = "language_matched",
       .unit = "share",
       .description = "Share of low-proficiency residents' orders settled or escalated at the grid "
                      "(by grid workers) by someone who speaks their language, by group.",
       .dims = {groups},
       .combine = Combine::Ratio});
}

bool WorkOrderTable::open(NeedRef ref, Channel channel, Day d, double at,
                          const output::Recorder::Row& row) {
  WorkOrders& gs = grids[ref.grid];
  Need& need = gs.log[ref.index];
  if (need.state != NeedState::Unreported) return false;
  need.state = NeedState::Reported;
  need.day_reported = d.value;
  need.channel = channel;
  gs.grow();
  gs.report_at[ref.index] = at;
  gs.open.push_back(ref.index);
  if (need.recorded()) {
    gs.opened += 1;
    row.add(reported_, channel, 1.0);
    row.add(opened_, 1.0);
  }
  return true;
}

void WorkOrderTable::close(const population::Population& pop, std::uint32_t g, std::uint32_t i,
                           std::uint8_t level, std::uint8_t handler, Day d, double at,
                           ResidentState& residents, const output::Recorder::Row& row) {
  WorkOrders& gs = grids[g];
  Need& need = gs.log[i];
  need.state = NeedState::Resolved;
  need.day_resolved = d.value;
  need.level = level;
  need.handler = handler;
  // Fractional days on the grid clock: whole days would put most orders at 0 and the median
  // would say nothing.
  gs.resolved_at[i] = at;
  const double days = std::max(0.0, at - gs.report_at[i]) / hours_;
  const double commitment = types_.commitment[need.type];
  const bool in_time = days <= commitment, safety = need.type == types_.safety_type;
  if (need.recorded()) {
    gs.resolved += 1;
    gs.durations.push_back(days);
    row.add(resolved_, level, 1.0);
    row.add_ratio(volunteer_share_, 0, handler == kVolunteer ? 1.0 : 0.0);
    // An order closed late before the day its open-order check would catch it (commitments
    // count orders still open on day reported + ceil(commitment) + 1) is a breach too: late for
    // the resident is late for the count.
    if (!in_time && d.value <= need.day_reported + types_.commitment_limit(need.type))
      gs.late_closed += 1;
  }
  // A shared need (a stairwell's broken light, a building's leaking roof) is fixed for everyone
  // who lives with it, not only for the resident who raised it.
  for_affected(pop, need,
               [&](std::uint32_t r) { effects_.resolved(residents, r, days, commitment, safety); });
}

void WorkOrderTable::close_unresolved(const population::Population& pop, std::uint32_t g,
                                      std::uint32_t i, Day d, ResidentState& residents,
                                      const output::Recorder::Row& row) {
  WorkOrders& gs = grids[g];
  Need& need = gs.log[i];
  need.state = NeedState::ClosedUnresolved;
  need.day_resolved = d.value;
  if (need.recorded()) {
    gs.closed_unresolved += 1;
    gs.unresolved_days += static_cast<double>(d.value - need.day_reported);
    row.add(closed_unresolved_, 1.0);
  }
  for_affected(pop, need, [&](std::uint32_t r) { effects_.closed_unresolved(residents, r); });
}

void WorkOrderTable::pass_up(std::uint32_t g, std::uint32_t i, double at, ResidentState& residents,
                             const output::Recorder::Row& row) {
  WorkOrders& gs = grids[g];
  // The longest waits of an overloaded grid end here: left out, they would make the grid's
  // queue look shorter the more of its orders it fails to take up.
  gs.left_queue(i, std::max(0.0, at - gs.report_at[i]));
  gs.escalated.push_back(i);
  // It leaves the grid as an escalation does (closure_left_grid), in the run's cohort only.
  if (gs.log[i].recorded()) row.add(left_grid_, 1.0);
  effects_.escalated(residents, gs.log[i].resident);
}

void WorkOrderTable::start_recording() {
  for (auto& gs : grids) {
    gs.opened = gs.resolved = gs.closed_unresolved = 0;
    gs.durations.clear();
    gs.unresolved_days = 0;
    gs.wait_sum = gs.waited = gs.taken = 0;
    std::fill(gs.low_handled.begin(), gs.low_handled.end(), 0.0);
    std::fill(gs.low_matched.begin(), gs.low_matched.end(), 0.0);
  }
}

void WorkOrderTable::settle_or_escalate(const population::Population& pop, std::uint32_t g,
                                        std::uint32_t i, std::uint8_t handler, double skill_of,
                                        bool matched, Day d, double at, ResidentState& residents,
                                        const output::Recorder::Row& row) {
  WorkOrders& gs = grids[g];
  Need& need = gs.log[i];
  if (need.recorded() && pop.resident_proficiency[need.resident] < 0.5f) {
    const std::uint8_t group = pop.resident_group[need.resident];
    gs.low_handled[group] += 1;
    gs.low_matched[group] += matched;
    row.add_ratio(language_matched_, group, matched ? 1.0 : 0.0);
  }
  const double p = on_the_spot_[need.severity] * skill_on_the_spot(skill_of) *
                   (matched ? 1.0 : language_penalty_);
  if (types_.min_level[need.type] == kLevelGrid && draws(g, i).on_spot < p) {
    close(pop, g, i, kLevelGrid, handler, d, at, residents, row);
  } else {
    gs.escalated.push_back(i);
    if (need.recorded()) row.add(left_grid_, 1.0);
    effects_.escalated(residents, need.resident);
  }
}

void WorkOrderTable::close_council_fixes(const population::Population& pop, Day d,
                                         ResidentState& residents,
                                         const output::Recorder::Row& row) {
  const double day_end = (d.value + 1) * hours_;
  for (std::uint32_t g = 0; g < grids.size(); ++g) {
    WorkOrders& gs = grids[g];
    if (gs.fixed.empty()) continue;
    std::sort(gs.fixed.begin(), gs.fixed.end());
    const auto fixed = [&](std::uint32_t i) {
      return std::binary_search(gs.fixed.begin(), gs.fixed.end(), i);
    };
    // Open orders among the fixed needs close in the order they were opened; open orders closed
    // earlier leave the list on the way.
    std::erase_if(gs.open, [&](std::uint32_t i) {
      const Need& need = gs.log[i];
      if (need.state != NeedState::Reported) return true;
      if (!fixed(i)) return false;
      close(pop, g, i, kLevelCouncil, kCouncilHandler, d, day_end, residents, row);
      return true;
    });
    // Hidden needs the topics fixed never became work orders: a council closed them.
    for (auto i : gs.fixed) {
      Need& need = gs.log[i];
      if (need.state != NeedState::Unreported) continue;
      need.state = NeedState::Resolved;
      need.day_resolved = d.value;
      need.level = kLevelCouncil;
    }
    gs.fixed.clear();
  }
}

void WorkOrderTable::census(Day d, const output::Recorder::Row& row) {
  if (!row.measuring()) return;  // its counts feed the row and the end-of-run summaries only
  // Needs still hidden at the end of the day (after councils raised and topics fixed some).
  double hidden = 0;
  hidden_recorded_end_ = 0;
  for (const auto& grid : grids)
    for (auto i : grid.unreported) {
      const Need& need = grid.log[i];
      if (need.state != NeedState::Unreported) continue;
      hidden += 1;
      hidden_recorded_end_ += need.recorded();
    }
  row.add(hidden_, hidden);
  hidden_end_ = hidden;
  // Open orders past their commitment at the end of today (the start of tomorrow), as the
  // commitments step counts them; the value of the last day is the run's censored, unresolved
  // tail (a state: every open order). The cohort's open orders (Need::recorded) and their ages
  // at the end of today: time_to_resolution_mean_with_open and the identity opened = resolved +
  // closed unresolved + open at the end, over the cohort.
  // time_to_resolution_mean_with_open.
  unresolved_end_ = 0;
  open_age_days_end_ = 0;
  open_recorded_end_ = 0;
  double open = 0;
  for (std::uint32_t g = 0; g < grids.size(); ++g)
    for (auto i : grids[g].open) {
      const Need& need = grids[g].log[i];
      if (need.state != NeedState::Reported) continue;
      open += 1;
      unresolved_end_ += d.value + 1 - need.day_reported > types_.commitment_limit(need.type);
      if (!need.recorded()) continue;
      open_recorded_end_ += 1;
      open_age_days_end_ += std::max(0.0, (d.value + 1) * hours_ - grids[g].report_at[i]) / hours_;
    }

  std::uint64_t opened = 0, resolved = 0;
  for (const auto& gs : grids) {
    opened += gs.opened;
    resolved += gs.resolved;
  }
  row.add_ratio(closure_, 0, static_cast<double>(resolved), static_cast<double>(opened));
  row.add(open_, open);
  open_end_ = open;
}

output::Table WorkOrderTable::work_order_table(const population::Population& pop,
                                               const std::vector<std::string>& need_types) const {
  std::vector<std::int64_t> id, type, grid, group, arisen, reported, channel, level, resolved,
      handler, unresolved;
  std::vector<double> days;
  const auto code = [](std::uint8_t v) { return v == kNone ? -1 : static_cast<std::int64_t>(v); };
  for (std::uint32_t g = 0; g < grids.size(); ++g) {
    const WorkOrders& gs = grids[g];
    for (std::uint32_t i = 0; i < gs.log.size(); ++i) {
      const Need& n = gs.log[i];
      if (n.day_arisen < 0) continue;  // arose in the burn-in: not recorded
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
      unresolved.push_back(n.state == NeedState::ClosedUnresolved ? n.day_resolved : -1);
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
      "One row per need that arose on a recorded day (not in the burn-in), in grid order, then "
      "order of arising; a need never reported (channel -1) stayed hidden or was fixed by a "
      "council topic.";
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
  column("day_closed_unresolved", "day",
         "Day it was closed unresolved after its last whistle round; -1 otherwise.", unresolved);
  t.columns.push_back({"days_to_resolution",
                       "days",
                       "Fractional days from report to resolution (grid clock hours / "
                       "staffing.hours_per_day); NaN if open or never reported.",
                       std::move(days),
                       {}});
  return t;
}

}  // namespace commsim::model
