// A region's run: many communities, each a world of its own, and the subdistricts' departments
// they share. Each day every community runs its whole day (the communities in parallel, each
// community's grids in parallel within it); then, in a fixed order, each subdistrict with a
// whistle capacity takes up the day's whistles of all its communities, first come first served.
// Nothing else crosses communities, so a community's draws and results depend on another's only
// through its subdistrict's departments.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>

#include "sim/core/parallel.hpp"
#include "sim/core/random.hpp"
#include "sim/engine/day_loop.hpp"
#include "sim/engine/day_plan.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/world.hpp"
#include "sim/output/combine.hpp"
#include "sim/scenario/region.hpp"

namespace commsim::engine {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A community's streams: keyed by its name, so adding or removing a community changes no other
// community's draws; the community named like the region scenario's own community.name keeps the
// scenario's key, so a region of that one community draws what the scenario alone draws.
StreamKey community_key(const scenario::Region& region, const std::string& name, StreamKey key) {
  if (name == region.base_name) return key;
  return {key.seed, derive_seed(key.run, fnv1a64(name))};
}

// A subdistrict's departments: the whistles waiting for them and what they took up.
struct Departments {
  double capacity = -1;  // orders per working day; -1 no limit
  std::vector<std::size_t> communities;
  struct Waiting {
    std::size_t community;
    model::Escalation::Pending pending;
  };
  std::deque<Waiting> backlog;
  std::int64_t working_days = 0;  // working days so far (the capacity's pace)
  // Over the recorded days: orders taken up and their waits (days), the backlog each day.
  double taken = 0, wait_days = 0;
  std::vector<double> backlog_by_day;
  // Orders waiting at the end of the last recorded day (0 without one).
  double backlog_end() const { return backlog_by_day.empty() ? 0.0 : backlog_by_day.back(); }
};

// The day's whistles of the subdistrict's communities join its backlog (each community's in the
// order it made them, the communities merged by the hour they were made); on a working day the
// departments take up to their capacity from the front: on the k-th working day floor(k c) -
// floor((k - 1) c) orders (2.5 a day takes 2 and 3 in turn; capacity a day leaves unused is not
// kept). A whistle taken up on the day it was made is taken at its hour, one that waited at the
// start of the day it is taken. Orders fixed meanwhile (a council) leave the backlog, taking no
// capacity.
void take_up(Departments& dep, std::vector<std::unique_ptr<World>>& worlds, Day d, bool working,
             std::vector<double>& taken, std::vector<double>& wait_days) {
  std::vector<Departments::Waiting> today;
  for (const std::size_t c : dep.communities) {
    auto& pending = worlds[c]->escalation.pending();
    for (const auto& p : pending) today.push_back({c, p});
    pending.clear();
  }
  const auto day_of = [&](const Departments::Waiting& w) {
    return w.pending.from / worlds[w.community]->escalation.hours_per_day();
  };
  std::stable_sort(today.begin(), today.end(),
                   [&](const auto& a, const auto& b) { return day_of(a) < day_of(b); });
  dep.backlog.insert(dep.backlog.end(), today.begin(), today.end());
  const auto need_of = [&](const Departments::Waiting& w) -> const model::Need& {
    return worlds[w.community]->orders.grids[w.pending.ref.grid].log[w.pending.ref.index];
  };
  std::erase_if(dep.backlog, [&](const Departments::Waiting& w) {
    return need_of(w).state != model::NeedState::Reported;
  });
  if (working) {
    const auto k = static_cast<double>(++dep.working_days);
    auto allowed = static_cast<std::int64_t>(std::floor(k * dep.capacity) -
                                             std::floor((k - 1) * dep.capacity));
    for (; allowed > 0 && !dep.backlog.empty(); --allowed) {
      const auto w = dep.backlog.front();
      dep.backlog.pop_front();
      World& world = *worlds[w.community];
      const model::Need& need = need_of(w);
      const double hours = world.escalation.hours_per_day();
      const double at = std::max(w.pending.from, d.value * hours);
      world.escalation.take_up(w.pending, at);
      if (d.value >= 0 && need.recorded()) {
        dep.taken += 1;
        dep.wait_days += (at - w.pending.from) / hours;
        taken[w.community] += 1;
        wait_days[w.community] += (at - w.pending.from) / hours;
      }
    }
  }
  if (d.value >= 0) dep.backlog_by_day.push_back(static_cast<double>(dep.backlog.size()));
}

output::Column int_column(std::string name, std::string unit, std::string description,
                          std::vector<std::int64_t> data, std::vector<std::string> labels = {}) {
  return {std::move(name), std::move(unit), std::move(description), std::move(data),
          std::move(labels)};
}
output::Column real_column(std::string name, std::string unit, std::string description,
                           std::vector<double> data) {
  return {std::move(name), std::move(unit), std::move(description), std::move(data), {}};
}

const output::Metric* find(const std::vector<output::Metric>& ms, const std::string& name) {
  for (const auto& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

// The largest group gap of an estimate summary (a gap by group, with its 95% interval) in one
// community: the signed gap of largest size, its group, and whether its interval excludes 0.
struct Gap {
  double gap = kNaN;
  std::int64_t group = -1, measure = -1;
  std::int64_t significant = -1;
};

Gap closure_gap(const std::vector<output::Metric>& ms) {
  Gap out;
  const output::Metric* m = find(ms, "closure_rate_gap");  // group x {gap, se, low, high}
  if (!m || m->dims.size() != 2 || m->dims[1].labels.size() != 4) return out;
  for (std::size_t g = 0; g < m->dims[0].labels.size(); ++g) {
    const double* e = m->values.data() + g * 4;
    // A group too small for an interval (a handful of orders) is no evidence of a gap: skipped.
    if (std::isnan(e[0]) || std::isnan(e[2]) || std::isnan(e[3]) ||
        (!std::isnan(out.gap) && std::abs(e[0]) <= std::abs(out.gap)))
      continue;
    out.gap = e[0];
    out.group = static_cast<std::int64_t>(g);
    out.significant = e[2] > 0 || e[3] < 0 ? 1 : 0;
  }
  return out;
}

Gap wellbeing_gap(const std::vector<output::Metric>& ms) {
  Gap out;
  const output::Metric* m = find(ms, "wellbeing_gap_final");  // measure x group
  const output::Metric* ci = find(ms, "wellbeing_gap_ci");    // measure x group x {low, high}
  if (!m || m->dims.size() != 2 || !ci || ci->values.size() != 2 * m->values.size()) return out;
  const std::size_t groups = m->dims[1].labels.size();
  for (std::size_t k = 0; k < m->values.size(); ++k) {
    const double v = m->values[k], lo = ci->values[2 * k], hi = ci->values[2 * k + 1];
    // As for closure: a gap without an interval (too few residents or grids) is skipped.
    if (std::isnan(v) || std::isnan(lo) || std::isnan(hi) ||
        (!std::isnan(out.gap) && std::abs(v) <= std::abs(out.gap)))
      continue;
    out.gap = v;
    out.measure = static_cast<std::int64_t>(k / groups);
    out.group = static_cast<std::int64_t>(k % groups);
    out.significant = lo > 0 || hi < 0 ? 1 : 0;
  }
  return out;
}

// The columns every row of a region table has, from a part's summaries: each key summary's
// headline (a total or a population mean), in declaration order.
void headline_columns(const std::vector<const std::vector<output::Metric>*>& rows,
                      std::vector<output::Column>& columns) {
  if (rows.empty()) return;
  for (const auto& m : *rows[0]) {
    if (!m.key || m.headline_kind == "none" || m.headline_kind == "value") continue;
    std::vector<double> v;
    for (const auto* ms : rows) {
      const output::Metric* x = find(*ms, m.name);
      v.push_back(x ? x->headline : kNaN);
    }
    columns.push_back(real_column(m.name, m.unit,
                                  "The " +
                                      std::string(m.headline_kind == "total" ? "total" : "mean") +
                                      " of /summary/" + m.name + ": " + m.description,
                                  std::move(v)));
  }
}

output::Metric department_summary(std::string name, std::string unit, std::string description,
                                  std::string combine, std::string rule, double value,
                                  double weight) {
  output::Metric m;
  m.name = std::move(name);
  m.unit = std::move(unit);
  m.description = std::move(description);
  m.combine = std::move(combine);
  m.rule = std::move(rule);
  m.values = {value};
  m.headline = value;
  m.headline_kind = m.combine == "sum" ? "total" : "mean";
  if (m.combine == "ratio") {
    m.weights = {weight};
    m.headline_weight = weight > 0 ? weight : kNaN;
  }
  return m;
}

// A community's summaries of its subdistrict's departments (a region's only): its whistled
// orders they took up and how long those waited.
std::vector<output::Metric> department_summaries(double taken, double wait_days, double waiting,
                                                 double waiting_days) {
  return {
      department_summary(
          "department_take_ups", "orders",
          "Whistled orders the subdistrict's departments took up over the run, first whistles and "
          "re-whistles (without a whistle capacity, every whistle, taken up when made).",
          "sum", "count_over_run", taken, 0),
      department_summary("department_wait_mean", "days",
                         "Mean days a whistled order waited for the subdistrict's departments "
                         "(its whistle capacity) before they took it up, over the run.",
                         "ratio", "over_run", taken > 0 ? wait_days / taken : kNaN, taken),
      department_summary(
          "department_wait_mean_with_waiting", "days",
          "department_wait_mean with the orders still waiting for the departments at the end "
          "counted at their wait so far (department_wait_mean alone leaves them out: censored).",
          "ratio", "over_run",
          taken + waiting > 0 ? (wait_days + waiting_days) / (taken + waiting) : kNaN,
          taken + waiting),
  };
}

}  // namespace

RunOutput run_region(const scenario::Scenario& scenario, const RunOptions& options) {
  const auto start = Clock::now();
  const scenario::Region& region = *scenario.region;
  const StreamKey key{options.seed, options.run};
  const Executor executor(options.threads);
  const std::size_t n = region.communities.size();

  // Each community's world, built in parallel (each build reads only its own scenario and key).
  std::vector<std::unique_ptr<World>> worlds(n);
  executor.for_each(n, [&](std::size_t c) {
    const auto& community = region.communities[c];
    worlds[c] = build_world(*community.scenario, community_key(region, community.name, key));
  });
  std::vector<Departments> deps(region.subdistricts.size());
  for (std::size_t s = 0; s < deps.size(); ++s)
    deps[s].capacity = region.subdistricts[s].whistle_capacity;
  for (std::size_t c = 0; c < n; ++c) {
    Departments& dep = deps[region.communities[c].subdistrict];
    dep.communities.push_back(c);
    if (dep.capacity >= 0) worlds[c]->escalation.wait_for_departments();
  }
  std::vector<Profile> profiles;
  for (const auto& w : worlds) profiles.emplace_back(w->pop.grids(), day_plan().size());
  const model::WorkWeek week{scenario.run.start_weekday, scenario.staffing.days_per_week};

  std::vector<double> taken(n, 0.0), waits(n, 0.0);  // by community, over the recorded days
  const std::int64_t days = scenario.run.days, burn_in = scenario.run.burn_in_days;
  for (std::int64_t d = -burn_in; d < days; ++d) {
    const Day day(static_cast<std::int32_t>(d));
    executor.for_each(n, [&](std::size_t c) {
      World& w = *worlds[c];
      if (d == 0) w.start_recording();
      w.recorder.measure_day(d >= 0 || d == days - 1);
      run_day(w, day, executor, profiles[c]);
    });
    for (auto& dep : deps)
      if (dep.capacity >= 0) take_up(dep, worlds, day, week.working(day), taken, waits);
    if (options.progress) options.progress(d + burn_in + 1, days + burn_in);
  }
  if (days == 0)
    for (auto& w : worlds) w->start_recording();
  // Without a capacity every whistle is taken up when made, waiting 0; with one, the orders still
  // waiting at the end count with their wait so far in the censored mean.
  std::vector<double> waiting(n, 0.0), waiting_days(n, 0.0);
  for (auto& dep : deps) {
    if (dep.capacity < 0) {
      for (const std::size_t c : dep.communities) {
        const auto& kinds = worlds[c]->escalation.whistles_total();
        taken[c] = std::accumulate(kinds.begin(), kinds.end(), 0.0);
        dep.taken += taken[c];
      }
      continue;
    }
    for (const auto& w : dep.backlog) {
      const World& world = *worlds[w.community];
      if (!world.orders.grids[w.pending.ref.grid].log[w.pending.ref.index].recorded()) continue;
      const double hours = world.escalation.hours_per_day();
      waiting[w.community] += 1;
      waiting_days[w.community] += (static_cast<double>(days) * hours - w.pending.from) / hours;
    }
  }

  // Each community's result; then the subdistricts' and the region's, combined from them.
  RunOutput out;
  std::vector<output::RunResult> results(n);
  std::uint64_t residents = 0;
  for (std::size_t c = 0; c < n; ++c) {
    results[c] = collect_result(*worlds[c], *region.communities[c].scenario, true);
    for (auto& m : department_summaries(taken[c], waits[c], waiting[c], waiting_days[c]))
      results[c].summaries.push_back(m);
    add_times(profiles[c], worlds[c]->pop.grids(), out);
    residents += worlds[c]->pop.residents();
  }
  const bool full = region.detail == scenario::Region::Detail::Full;
  std::vector<output::Part> all;
  for (std::size_t c = 0; c < n; ++c)
    all.push_back({&results[c].summaries, region.communities[c].name});
  out.result.days = days;
  out.result.start_weekday = scenario.run.start_weekday;
  out.result.summaries = output::combine_summaries(all);
  {
    std::vector<output::Part> series;
    for (std::size_t c = 0; c < n; ++c)
      series.push_back({&results[c].timeseries, region.communities[c].name});
    out.result.timeseries = output::combine_timeseries(series, days, full);
  }
  // The subdistricts' departments: in the totals, their backlog at the end and each day.
  {
    double backlog_end = 0;
    for (const auto& dep : deps) backlog_end += dep.backlog_end();
    out.result.summaries.push_back(department_summary(
        "department_backlog_end", "orders",
        "Whistled orders waiting for the subdistricts' departments at the end of the run.", "sum",
        "at_end", backlog_end, 0));
    output::Metric backlog;
    backlog.name = "department_backlog";
    backlog.unit = "orders";
    backlog.description =
        "Whistled orders waiting for each subdistrict's departments at the end of the day (a "
        "subdistrict without a whistle capacity has none).";
    backlog.dims = {{"subdistrict", {}}};
    for (const auto& s : region.subdistricts) backlog.dims[0].labels.push_back(s.name);
    backlog.combine = "sum";
    backlog.rule = "none";
    const auto rows = static_cast<std::size_t>(days);
    backlog.values.assign(rows * deps.size(), 0.0);
    for (std::size_t s = 0; s < deps.size(); ++s)
      for (std::size_t d = 0; d < rows && d < deps[s].backlog_by_day.size(); ++d)
        backlog.values[d * deps.size() + s] = deps[s].backlog_by_day[d];
    out.result.timeseries.push_back(std::move(backlog));
  }

  // The parts: each community, then each subdistrict (its communities combined).
  for (std::size_t c = 0; c < n; ++c) {
    output::RunPart part;
    part.level = "community";
    part.name = region.communities[c].name;
    part.subdistrict = region.subdistricts[region.communities[c].subdistrict].name;
    part.summaries = results[c].summaries;
    if (full) {
      part.timeseries = std::move(results[c].timeseries);
      for (auto& m : part.timeseries) m.weights.clear();
    }
    part.tables = std::move(results[c].tables);  // only what output.* asked for
    out.result.parts.push_back(std::move(part));
  }
  for (std::size_t s = 0; s < deps.size(); ++s) {
    std::vector<output::Part> members;
    for (const std::size_t c : deps[s].communities)
      members.push_back({&results[c].summaries, region.communities[c].name});
    output::RunPart part;
    part.level = "subdistrict";
    part.name = region.subdistricts[s].name;
    part.summaries = output::combine_summaries(members);
    part.summaries.push_back(department_summary(
        "department_backlog_end", "orders",
        "Whistled orders waiting for the subdistrict's departments at the end of the run.", "sum",
        "at_end", deps[s].backlog_end(), 0));
    out.result.parts.push_back(std::move(part));
  }

  // The region's tables: one row per community, one per subdistrict.
  std::vector<std::string> community_names, subdistrict_names;
  for (const auto& c : region.communities) community_names.push_back(c.name);
  for (const auto& s : region.subdistricts) subdistrict_names.push_back(s.name);
  const auto& groups = worlds[0]->pop.group_names;
  {
    std::vector<std::int64_t> code(n), sub(n), households(n), people(n), grids(n), full_time(n),
        part_time(n), cg_group(n), wg_group(n), wg_measure(n), cg_sig(n), wg_sig(n);
    std::vector<double> cg(n), wg(n);
    std::vector<const std::vector<output::Metric>*> rows;
    for (std::size_t c = 0; c < n; ++c) {
      const World& w = *worlds[c];
      code[c] = static_cast<std::int64_t>(c);
      sub[c] = static_cast<std::int64_t>(region.communities[c].subdistrict);
      households[c] = w.pop.households();
      people[c] = w.pop.residents();
      grids[c] = w.pop.grids();
      full_time[c] = w.staff.plan.total_full_time() + w.staff.plan.centre;
      part_time[c] = w.staff.plan.total_part_time();
      const Gap closure = closure_gap(results[c].summaries);
      const Gap wellbeing = wellbeing_gap(results[c].summaries);
      cg[c] = closure.gap, cg_group[c] = closure.group, cg_sig[c] = closure.significant;
      wg[c] = wellbeing.gap, wg_group[c] = wellbeing.group, wg_measure[c] = wellbeing.measure;
      wg_sig[c] = wellbeing.significant;
      rows.push_back(&results[c].summaries);
    }
    std::vector<std::string> measures;
    if (const auto* m = find(results[0].summaries, "wellbeing_gap_final"))
      measures = m->dims[0].labels;
    output::Table t{
        "communities", "One row per community of the region, in the region's order.", {}};
    auto& cols = t.columns;
    cols.push_back(int_column("community", "",
                              "The community (its code; labels_community names it).", code,
                              community_names));
    cols.push_back(int_column("subdistrict", "", "Its subdistrict.", sub, subdistrict_names));
    cols.push_back(
        int_column("households", "households", "Dwellings (occupied or vacant).", households));
    cols.push_back(int_column("residents", "residents", "Residents at the start.", people));
    cols.push_back(int_column("grids", "grids", "Grids.", grids));
    cols.push_back(int_column(
        "full_time_workers", "workers",
        "Full-time community workers: on the grids and at the coordination centre.", full_time));
    cols.push_back(
        int_column("part_time_workers", "workers", "Part-time grid workers.", part_time));
    headline_columns(rows, cols);
    cols.push_back(real_column("closure_rate_gap_max", "difference",
                               "The largest (in size) of the groups' closure_rate_gap that have a "
                               "95% interval (a group of a handful of orders has none): a group's "
                               "closure rate minus all other residents'; NaN if none has one.",
                               cg));
    cols.push_back(
        int_column("closure_rate_gap_max_group", "", "Its group (-1: none).", cg_group, groups));
    cols.push_back(int_column(
        "closure_rate_gap_max_significant", "",
        "Whether its 95% interval excludes 0 (1) or includes it (0); -1 without a gap.", cg_sig));
    cols.push_back(real_column("wellbeing_gap_max", "difference",
                               "The largest (in size) of wellbeing_gap_final over measures and "
                               "groups that have a 95% interval (wellbeing_gap_ci): a group's mean "
                               "minus all other residents' on the last day; NaN if none has one.",
                               wg));
    cols.push_back(
        int_column("wellbeing_gap_max_group", "", "Its group (-1: none).", wg_group, groups));
    cols.push_back(int_column("wellbeing_gap_max_measure", "", "Its measure (-1: none).",
                              wg_measure, measures));
    cols.push_back(int_column("wellbeing_gap_max_significant", "",
                              "Whether its 95% interval (wellbeing_gap_ci) excludes 0 (1) "
                              "or includes it (0); -1 without a gap.",
                              wg_sig));
    out.result.region_tables.push_back(std::move(t));
  }
  {
    const std::size_t m = deps.size();
    std::vector<std::int64_t> code(m), members(m), households(m, 0), people(m, 0), grids(m, 0),
        full_time(m, 0), part_time(m, 0);
    std::vector<double> capacity(m), wait(m), taken(m), backlog(m);
    std::vector<const std::vector<output::Metric>*> rows;
    const std::size_t first_subdistrict = n;
    for (std::size_t s = 0; s < m; ++s) {
      code[s] = static_cast<std::int64_t>(s);
      members[s] = static_cast<std::int64_t>(deps[s].communities.size());
      for (const std::size_t c : deps[s].communities) {
        const World& w = *worlds[c];
        households[s] += w.pop.households();
        people[s] += w.pop.residents();
        grids[s] += w.pop.grids();
        full_time[s] += w.staff.plan.total_full_time() + w.staff.plan.centre;
        part_time[s] += w.staff.plan.total_part_time();
      }
      capacity[s] = deps[s].capacity;
      taken[s] = deps[s].taken;
      wait[s] = deps[s].taken > 0 ? deps[s].wait_days / deps[s].taken : kNaN;
      backlog[s] = deps[s].backlog_end();
      rows.push_back(&out.result.parts[first_subdistrict + s].summaries);
    }
    output::Table t{
        "subdistricts", "One row per subdistrict of the region: its communities combined.", {}};
    auto& cols = t.columns;
    cols.push_back(int_column("subdistrict", "",
                              "The subdistrict (its code; labels_subdistrict names it).", code,
                              subdistrict_names));
    cols.push_back(int_column("communities", "communities", "Its communities.", members));
    cols.push_back(
        int_column("households", "households", "Dwellings (occupied or vacant).", households));
    cols.push_back(int_column("residents", "residents", "Residents at the start.", people));
    cols.push_back(int_column("grids", "grids", "Grids.", grids));
    cols.push_back(
        int_column("full_time_workers", "workers", "Full-time community workers.", full_time));
    cols.push_back(
        int_column("part_time_workers", "workers", "Part-time grid workers.", part_time));
    cols.push_back(real_column(
        "whistle_capacity", "orders per day",
        "Whistled orders its departments take up per working day (-1: no limit).", capacity));
    cols.push_back(real_column(
        "department_take_ups", "orders",
        "Whistled orders its departments took up over the run (without a capacity, every "
        "whistle).",
        taken));
    cols.push_back(real_column("department_wait_mean", "days",
                               "Mean days a whistled order waited for its departments.", wait));
    cols.push_back(real_column("department_backlog_end", "orders",
                               "Whistled orders waiting at the end of the run.", backlog));
    headline_columns(rows, cols);
    out.result.region_tables.push_back(std::move(t));
  }

  out.threads = executor.threads();
  out.resident_days = residents * static_cast<std::uint64_t>(days + burn_in);
  out.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return out;
}

}  // namespace commsim::engine
