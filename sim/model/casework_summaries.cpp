#include "sim/model/casework_summaries.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/model/calibration_summaries.hpp"
#include "sim/model/group_stats.hpp"

namespace commsim::model {

// Each a named reduction (docs/metrics.md lists the rules) of the state of Model I's mechanisms;
// `m` refers to the world's parts, declared once the world is built, so the addresses are final.
void declare_casework_summaries(output::Recorder& recorder, const CaseworkParts& m,
                                const population::Population& pop) {
  using output::Combine;
  using output::Reduced;
  using output::SummarySpec;
  const auto nan = std::nan("");
  // The run's casework, pooled over grids: the orders of the run's cohort (Need::recorded, arisen
  // on day 0 or later); the open orders and hidden needs at the end are states of every need.
  struct Totals {
    double opened = 0, resolved = 0, wait = 0, waited = 0, served = 0, busy = 0, available = 0;
    double unresolved_days = 0;     // orders closed unresolved: days from report to closing
    std::vector<double> durations;  // closed orders' days from report to resolution, sorted
  };
  const auto totals = [m] {
    Totals t;
    for (std::size_t g = 0; g < m.orders.grids.size(); ++g) {
      const auto& gs = m.orders.grids[g];
      const auto& q = m.service.totals()[g];
      t.durations.insert(t.durations.end(), gs.durations.begin(), gs.durations.end());
      t.opened += static_cast<double>(gs.opened);
      t.resolved += static_cast<double>(gs.resolved);
      t.unresolved_days += gs.unresolved_days;
      // Every grid's queue, staffed or not: orders still waiting count with their wait so far.
      const auto still = m.service.still_waiting(GridId(static_cast<std::uint32_t>(g)), m.orders);
      t.wait += gs.wait_sum + still.wait_sum;
      t.waited += gs.waited + still.waited;
      t.served += gs.taken + still.orders;
      t.busy += q.busy;
      t.available += q.available;
    }
    std::sort(t.durations.begin(), t.durations.end());
    return t;
  };
  const auto closed_days = [](const Totals& t) {
    return std::accumulate(t.durations.begin(), t.durations.end(), 0.0);
  };
  const auto percentile = [totals, nan](double q) {
    return [totals, nan, q](const output::Recorder&) {
      const Totals t = totals();
      const auto& d = t.durations;
      return Reduced{
          {d.empty() ? nan
                     : d[std::min(d.size() - 1,
                                  static_cast<std::size_t>(q * static_cast<double>(d.size())))]}};
    };
  };
  const auto scalar = [](auto value) {
    return [value](const output::Recorder&) { return Reduced{{static_cast<double>(value())}}; };
  };
  // A ratio of the run's totals, its denominator the cell's weight (the value NaN when it is 0).
  const auto over_totals = [totals, nan](auto numerator, auto denominator) {
    return [totals, nan, numerator, denominator](const output::Recorder&) {
      const Totals t = totals();
      const double w = denominator(t);
      return Reduced{{w > 0 ? numerator(t) / w : nan}, {w}};
    };
  };
  const auto opened = [](const Totals& t) { return t.opened; };
  const auto served = [](const Totals& t) { return t.served; };

  recorder.add_summary({.name = "closure_rate",
                        .unit = "share",
                        .description = "Work orders resolved / opened over the run.",
                        .combine = Combine::Ratio,
                        .rule = "over_run",
                        .source = "closure_rate",
                        .key = true},
                       over_totals([](const Totals& t) { return t.resolved; }, opened));
  recorder.add_summary(
      {.name = "work_orders_open_end",
       .unit = "orders",
       .description = "Work orders still open at the end of the run (neither resolved nor closed "
                      "unresolved; orders of the burn-in included).",
       .rule = "at_end",
       .source = "work_orders_open",
       .key = true},
      scalar([m] { return m.orders.open_end(); }));
  recorder.add_summary(
      {.name = "work_orders_open_end_of_run_cohort",
       .unit = "orders",
       .description = "Work orders of the run's cohort (needs that arose on day 0 or later) still "
                      "open at the end: work_orders_opened = work_orders_resolved + "
                      "work_orders_closed_unresolved + this.",
       .rule = "at_end"},
      scalar([m] { return m.orders.open_recorded_end(); }));
  recorder.add_summary(
      {.name = "needs_hidden_end_of_run_cohort",
       .unit = "needs",
       .description = "Needs of the run's cohort (arisen on day 0 or later) still hidden at the "
                      "end: the hidden rows of /events/work_orders.",
       .rule = "at_end"},
      scalar([m] { return m.orders.hidden_recorded_end(); }));
  recorder.add_summary(
      {.name = "unresolved_share",
       .unit = "share",
       .description = "Work orders of the run's cohort not resolved by the end of the run (open or "
                      "closed unresolved) / opened (1 - closure_rate).",
       .combine = Combine::Ratio,
       .rule = "at_end"},
      over_totals([](const Totals& t) { return t.opened - t.resolved; }, opened));
  recorder.add_summary(
      {.name = "work_orders_unresolved",
       .unit = "orders",
       .description = "Work orders open at the end of the run and past their type's commitment; "
                      "they and the other open orders are censored out of time_to_resolution_*.",
       .rule = "at_end",
       .source = "work_orders_unresolved"},
      scalar([m] { return m.orders.unresolved_end(); }));
  // Fractional days: grid-clock hours from report to resolution / staffing.hours_per_day. Closed
  // orders only: the work_orders_open_end still open are right-censored, so these understate the
  // time to resolution of the whole cohort.
  recorder.add_summary({.name = "time_to_resolution_mean",
                        .unit = "days",
                        .description = "Mean time from report to resolution, in fractional days, "
                                       "over closed orders only (open ones are censored: "
                                       "work_orders_open_end).",
                        .combine = Combine::Ratio,
                        .rule = "mean_over_closed_orders",
                        .key = true},
                       over_totals(closed_days, [](const Totals& t) {
                         return static_cast<double>(t.durations.size());
                       }));
  // Counting each open order at its age at the end: a lower bound on the cohort's mean that,
  // unlike the closed-only mean, cannot improve by leaving more orders open. Closed and open
  // orders together are the orders opened.
  recorder.add_summary(
      {.name = "time_to_resolution_mean_with_open",
       .unit = "days",
       .description = "Mean time from report to resolution, in fractional days, counting each "
                      "order still open at the end at its age then and each order closed "
                      "unresolved at its days to closing: a lower bound on the mean over all "
                      "orders, which leaving orders open or closing them unresolved cannot lower.",
       .combine = Combine::Ratio,
       .rule = "mean_over_orders_with_open"},
      over_totals(
          [m, closed_days](const Totals& t) {
            return closed_days(t) + t.unresolved_days + m.orders.open_age_days_end();
          },
          opened));
  recorder.add_summary({.name = "time_to_resolution_p50",
                        .unit = "days",
                        .description = "Median time from report to resolution, in fractional "
                                       "days, over closed orders only.",
                        .combine = Combine::None,
                        .rule = "percentile_50"},
                       percentile(0.5));
  recorder.add_summary({.name = "time_to_resolution_p90",
                        .unit = "days",
                        .description = "90th percentile of the time from report to resolution, in "
                                       "fractional days, over closed orders only.",
                        .combine = Combine::None,
                        .rule = "percentile_90",
                        .key = true},
                       percentile(0.9));
  recorder.add_summary({.name = "needs_hidden_end",
                        .unit = "needs",
                        .description = "Needs still hidden (never reported) at the end of the run.",
                        .rule = "at_end",
                        .source = "needs_hidden",
                        .key = true},
                       scalar([m] { return m.orders.hidden_end(); }));
  recorder.add_summary(
      {.name = "whistles",
       .unit = "orders",
       .description = "Whistles to departments over the run (first whistles and "
                      "re-whistles), by whistle kind.",
       .dims = {{"kind", whistle_kind_names()}},
       .rule = "count_over_run",
       .source = "whistles",
       .key = true},
      [m](const output::Recorder&) { return Reduced{m.escalation.whistles_total()}; });
  recorder.add_summary(
      {.name = "follow_ups",
       .unit = "orders",
       .description = "Follow-ups of whistled orders after unsuccessful department responses, "
                      "over the run.",
       .rule = "count_over_run",
       .source = "follow_ups"},
      scalar([m] { return m.escalation.follow_ups_total(); }));
  recorder.add_summary({.name = "rewhistles",
                        .unit = "orders",
                        .description = "Orders whistled again after a follow-up, over the run.",
                        .rule = "count_over_run",
                        .source = "rewhistles"},
                       scalar([m] { return m.escalation.rewhistles_total(); }));
  recorder.add_summary(
      {.name = "staff_utilisation",
       .unit = "share",
       .description = "Grid workers' busy casework hours / available casework hours over the run.",
       .combine = Combine::Ratio,
       .rule = "over_run",
       .source = "staff_utilisation",
       .key = true},
      over_totals([](const Totals& t) { return t.busy; },
                  [](const Totals& t) { return t.available; }));
  recorder.add_summary(
      {.name = "casework_wait_hours_mean",
       .unit = "hours",
       .description = "Mean hours on the grid clock (staffing.hours_per_day a calendar day, "
                      "weekends included) a work order waited in its grid's queue until a grid "
                      "worker or volunteer took it up, it was passed up to the centre past its "
                      "commitment (casework.pass_up_overdue) or it was closed while waiting, over "
                      "every grid; orders still waiting at the end count with their wait so far.",
       .combine = Combine::Ratio,
       .rule = "over_run"},
      over_totals([](const Totals& t) { return t.wait; }, served));
  recorder.add_summary({.name = "casework_waited_share",
                        .unit = "share",
                        .description = "Share of work orders that waited in their grid's "
                                       "queue (over every grid, as casework_wait_hours_mean).",
                        .combine = Combine::Ratio,
                        .rule = "over_run"},
                       over_totals([](const Totals& t) { return t.waited; }, served));
  // By grid: the queue's wait and utilisation, the grid's orders and workers (per-grid checks
  // such as Erlang C at each grid's own arrival rate; a grid without workers shows here).
  const output::Dimension grid_axis{"grid", pop.grid_names()};
  const auto by_grid = [m](auto value, auto weight) {
    return [m, value, weight](const output::Recorder&) {
      Reduced r;
      for (std::uint32_t g = 0; g < m.orders.grids.size(); ++g) {
        const double w = weight(g);
        r.values.push_back(w > 0 ? value(g) / w : std::nan(""));
        r.weights.push_back(w);
      }
      return r;
    };
  };
  const auto taken = [m](std::uint32_t g) {
    return m.orders.grids[g].taken + m.service.still_waiting(GridId(g), m.orders).orders;
  };
  recorder.add_summary({.name = "casework_wait_hours_by_grid",
                        .unit = "hours",
                        .description = "casework_wait_hours_mean by grid.",
                        .dims = {grid_axis},
                        .combine = Combine::Ratio,
                        .rule = "over_run"},
                       by_grid(
                           [m](std::uint32_t g) {
                             return m.orders.grids[g].wait_sum +
                                    m.service.still_waiting(GridId(g), m.orders).wait_sum;
                           },
                           taken));
  recorder.add_summary({.name = "casework_waited_share_by_grid",
                        .unit = "share",
                        .description = "casework_waited_share by grid.",
                        .dims = {grid_axis},
                        .combine = Combine::Ratio,
                        .rule = "over_run"},
                       by_grid(
                           [m](std::uint32_t g) {
                             return m.orders.grids[g].waited +
                                    m.service.still_waiting(GridId(g), m.orders).waited;
                           },
                           taken));
  recorder.add_summary({.name = "staff_utilisation_by_grid",
                        .unit = "share",
                        .description = "staff_utilisation by grid (NaN for a grid with no worker).",
                        .dims = {grid_axis},
                        .combine = Combine::Ratio,
                        .rule = "over_run"},
                       by_grid([m](std::uint32_t g) { return m.service.totals()[g].busy; },
                               [m](std::uint32_t g) { return m.service.totals()[g].available; }));
  recorder.add_summary({.name = "work_orders_opened_by_grid",
                        .unit = "orders",
                        .description = "Work orders opened over the run, by grid.",
                        .dims = {grid_axis},
                        .rule = "count_over_run"},
                       [m](const output::Recorder&) {
                         Reduced r;
                         for (const auto& gs : m.orders.grids)
                           r.values.push_back(static_cast<double>(gs.opened));
                         return r;
                       });
  recorder.add_summary(
      {.name = "grid_workers_by_grid",
       .unit = "workers",
       .description = "Full-time and part-time grid workers of each grid (staffing.allocation).",
       .dims = {grid_axis, {"contract", {"full_time", "part_time"}}},
       .rule = "at_start"},
      [m](const output::Recorder&) {
        Reduced r;
        for (std::size_t g = 0; g < m.staff.plan.full_time.size(); ++g) {
          r.values.push_back(m.staff.plan.full_time[g]);
          r.values.push_back(m.staff.plan.part_time[g]);
        }
        return r;
      });
  recorder.add_summary(
      {.name = "grids_without_worker",
       .unit = "count",
       .description = "Grids with no grid worker, full-time or part-time (staffing.allocation).",
       .rule = "at_start",
       .key = true},
      scalar([m] {
        std::uint32_t n = 0;
        for (std::size_t g = 0; g < m.staff.plan.full_time.size(); ++g)
          n += m.staff.plan.full_time[g] + m.staff.plan.part_time[g] == 0;
        return n;
      }));
  recorder.add_summary({.name = "full_time_workers",
                        .unit = "workers",
                        .description = "Full-time grid workers.",
                        .rule = "at_start"},
                       scalar([m] { return m.staff.plan.total_full_time(); }));
  recorder.add_summary({.name = "part_time_workers",
                        .unit = "workers",
                        .description = "Part-time grid workers.",
                        .rule = "at_start"},
                       scalar([m] { return m.staff.plan.total_part_time(); }));
  recorder.add_summary({.name = "centre_workers",
                        .unit = "workers",
                        .description = "Full-time workers at the coordination centre.",
                        .rule = "at_start"},
                       scalar([m] { return m.staff.plan.centre; }));
  recorder.add_summary({.name = "volunteers",
                        .unit = "volunteers",
                        .description = "Volunteers at the end of the run.",
                        .rule = "at_end",
                        .key = true},
                       scalar([m] { return m.volunteers.total_members(); }));
  recorder.add_summary(
      {.name = "volunteers_by_group",
       .unit = "volunteers",
       .description = "Volunteers at the end of the run, by ethnic group (team "
                      "members are residents).",
       .dims = {{"group", pop.group_names}},
       .rule = "at_end"},
      [m](const output::Recorder&) { return Reduced{m.volunteers.members_by_group()}; });
  recorder.add_summary({.name = "volunteer_departures",
                        .unit = "volunteers",
                        .description = "Members who left their team during the run: quit when "
                                       "overloaded or moved away.",
                        .rule = "count_over_run"},
                       scalar([m] { return m.volunteers.departures(); }));
  recorder.add_summary({.name = "volunteer_shortfall",
                        .unit = "volunteers",
                        .description = "Team places at the start that no eligible resident of the "
                                       "grid could fill.",
                        .rule = "at_start"},
                       scalar([m] { return m.volunteers.shortfall(); }));

  // Grid workers' skills and languages and the language match of the orders they handled.
  const output::Dimension contract{"contract", {"full_time", "part_time"}};
  const output::Dimension groups{"group", pop.group_names};
  // A contract's mean skill stands for its workers: weighted by their number in the headline.
  const auto by_contract = [m](double full_time, double part_time) {
    return Reduced{{full_time, part_time},
                   {static_cast<double>(m.staff.plan.total_full_time()),
                    static_cast<double>(m.staff.plan.total_part_time())}};
  };
  recorder.add_summary(
      {.name = "worker_skill_start",
       .unit = "score",
       .description = "Mean skill of grid workers as drawn at the start, before the "
                      "burn-in (run.burn_in_days) if any.",
       .dims = {contract},
       .combine = Combine::Ratio,
       .rule = "at_start",
       .source = "worker_skill"},
      [m, by_contract](const output::Recorder&) {
        return by_contract(m.staff.skill_start[0], m.staff.skill_start[1]);
      });
  recorder.add_summary(
      {.name = "worker_skill_end",
       .unit = "score",
       .description = "Mean skill of grid workers at the end of the run (after training).",
       .dims = {contract},
       .combine = Combine::Ratio,
       .rule = "at_end",
       .source = "worker_skill",
       .key = true},
      [m, by_contract](const output::Recorder&) {
        return by_contract(m.staff.workforce.mean_skill(true, m.staff.plan),
                           m.staff.workforce.mean_skill(false, m.staff.plan));
      });
  // Each worker counts in every group whose language they speak: the cells overlap and no single
  // share stands for them; each is still a share of all grid workers, its weight.
  recorder.add_summary(
      {.name = "worker_language_share",
       .unit = "share",
       .description =
           "Share of grid workers who speak each group's language (besides the common one).",
       .dims = {groups},
       .combine = Combine::Ratio,
       .rule = "at_start",
       .headline = false},
      [m, groups = pop.groups()](const output::Recorder&) {
        std::vector<double> speak(groups, 0.0);
        double workers = 0;
        for (std::uint32_t g = 0; g < m.orders.grids.size(); ++g)
          for (std::size_t w = 0; w < m.staff.workforce.skill[g].size(); ++w) {
            workers += 1;
            for (std::uint32_t k = 0; k < groups; ++k)
              speak[k] += m.staff.workforce.speaks_language(g, w, static_cast<std::uint8_t>(k));
          }
        for (double& v : speak) v = workers > 0 ? v / workers : std::nan("");
        return Reduced{std::move(speak), std::vector<double>(groups, workers)};
      });
  recorder.add_summary(
      {.name = "language_matched_share",
       .unit = "share",
       .description = "Share of low-proficiency residents' orders settled or escalated at the grid "
                      "by someone who speaks their language, over the run, by group.",
       .dims = {groups},
       .combine = Combine::Ratio,
       .rule = "over_run",
       .source = "language_matched",
       .key = true},
      [m, groups = pop.groups()](const output::Recorder&) {
        std::vector<double> handled(groups, 0.0), matched(groups, 0.0);
        for (const auto& gs : m.orders.grids)
          for (std::size_t k = 0; k < groups; ++k) {
            handled[k] += gs.low_handled[k];
            matched[k] += gs.low_matched[k];
          }
        for (std::size_t k = 0; k < groups; ++k)
          matched[k] = handled[k] > 0 ? matched[k] / handled[k] : std::nan("");
        return Reduced{std::move(matched), std::move(handled)};
      });
  // Casework by the group of the resident who raised the need, each group's mean with its
  // standard error and each group against the rest (group_stats.hpp), grids as clusters: a
  // grid's orders share its queue and workers, so buildings as clusters (as for well-being) leave
  // out the grid's congestion and the intervals came out too narrow in the null model (the time to
  // resolution's covered 0 in 16 of 20 seeds of identical groups). Needs that arose during the
  // run; reported: a work order was opened; closed: of the orders opened, resolved by the end;
  // time to resolution: closed orders, fractional days from report to resolution.
  struct CaseworkByGroup {
    GroupStats reported, closed, days;
  };
  const auto casework_by_group = [m, &pop] {
    const std::uint32_t groups = pop.groups();
    CaseworkByGroup out{GroupStats(groups), GroupStats(groups), GroupStats(groups)};
    const double hours = m.orders.hours();
    for (const auto& gs : m.orders.grids) {
      for (std::uint32_t i = 0; i < gs.log.size(); ++i) {
        const Need& need = gs.log[i];
        if (!need.recorded()) continue;
        const std::uint8_t group = pop.resident_group[need.resident];
        const bool reported = need.day_reported >= 0;
        out.reported.add(group, reported);
        if (!reported) continue;
        const bool timed = i < gs.resolved_at.size() && !std::isnan(gs.resolved_at[i]);
        out.closed.add(group, timed);
        if (timed) out.days.add(group, std::max(0.0, gs.resolved_at[i] - gs.report_at[i]) / hours);
      }
      out.reported.end_cluster();
      out.closed.end_cluster();
      out.days.end_cluster();
    }
    return out;
  };
  // The low-proficiency residents' orders handled at the grid, grids as clusters (the table
  // keeps them by grid).
  const auto matched_by_group = [m, groups = pop.groups()] {
    GroupStats out(groups);
    for (const auto& gs : m.orders.grids) {
      for (std::uint32_t k = 0; k < groups; ++k)
        if (gs.low_handled[k] > 0)
          out.add(static_cast<std::uint8_t>(k), gs.low_matched[k] / gs.low_handled[k],
                  gs.low_handled[k]);
      out.end_cluster();
    }
    return out;
  };
  const output::Dimension mean_se{"estimate", {"mean", "se"}};
  const output::Dimension gap_ci{"estimate", {"gap", "se", "low", "high"}};
  const auto means = [](const GroupStats& st) {
    std::vector<double> v;
    for (std::uint32_t g = 0; g < st.groups(); ++g) {
      const auto e = st.group(g);
      v.push_back(e.mean);
      v.push_back(e.se);
    }
    return Reduced{std::move(v)};
  };
  // A difference of two shares lies in [-1, 1]: an interval reaching past it is cut there.
  const auto gaps = [](const GroupStats& st, double bound) {
    std::vector<double> v;
    for (std::uint32_t g = 0; g < st.groups(); ++g) {
      const auto e = st.gap_vs_rest(g);
      v.insert(v.end(), {e.gap, e.se, std::max(e.low, -bound), std::min(e.high, bound)});
    }
    return Reduced{std::move(v)};
  };
  struct ByGroupOutcome {
    const char* name;
    const char* unit;
    const char* gap_unit;
    const char* what;
    const char* rule;
    GroupStats CaseworkByGroup::*stat;
    double bound;  // of the gap's interval
  };
  for (const ByGroupOutcome& o : {
           ByGroupOutcome{"reported_share", "share", "difference",
                          "Share of the needs that arose during the run that were reported "
                          "(became work orders)",
                          "over_run", &CaseworkByGroup::reported, 1.0},
           ByGroupOutcome{"closure_rate", "share", "difference",
                          "Share of the work orders opened during the run that were resolved by "
                          "its end",
                          "over_run", &CaseworkByGroup::closed, 1.0},
           ByGroupOutcome{"time_to_resolution", "days", "days_difference",
                          "Mean time from report to resolution of closed orders, in fractional "
                          "days",
                          "mean_over_closed_orders", &CaseworkByGroup::days,
                          std::numeric_limits<double>::infinity()},
       }) {
    const auto stat = o.stat;
    recorder.add_summary(
        {.name = std::string(o.name) + "_by_group",
         .unit = o.unit,
         .description = std::string(o.what) + ", by the group of the resident who raised the need: "
                                              "mean and standard error (buildings as clusters).",
         .dims = {groups, mean_se},
         .combine = Combine::None,
         .rule = o.rule,
         .headline = false},
        [casework_by_group, means, stat](const output::Recorder&) {
          return means(casework_by_group().*stat);
        });
    recorder.add_summary(
        {.name = std::string(o.name) + "_gap",
         .unit = o.gap_unit,
         .description = std::string(o.what) + ": each group minus all other residents, with its "
                                              "standard error and 95% confidence interval.",
         .dims = {groups, gap_ci},
         .combine = Combine::None,
         .rule = o.rule,
         .headline = false},
        [casework_by_group, gaps, stat, bound = o.bound](const output::Recorder&) {
          return gaps(casework_by_group().*stat, bound);
        });
  }
  recorder.add_summary(
      {.name = "language_matched_share_by_group",
       .unit = "share",
       .description = "language_matched_share with its standard error (grids as clusters).",
       .dims = {groups, mean_se},
       .combine = Combine::None,
       .rule = "over_run",
       .source = "language_matched",
       .headline = false},
      [matched_by_group, means](const output::Recorder&) { return means(matched_by_group()); });
  recorder.add_summary(
      {.name = "language_matched_share_gap",
       .unit = "difference",
       .description = "language_matched_share: each group minus the low-proficiency residents of "
                      "all other groups, with its standard error and 95% confidence interval "
                      "(grids as clusters).",
       .dims = {groups, gap_ci},
       .combine = Combine::None,
       .rule = "over_run",
       .source = "language_matched",
       .headline = false},
      [matched_by_group, gaps](const output::Recorder&) { return gaps(matched_by_group(), 1.0); });
  declare_calibration_summaries(recorder, m, pop);  // the seeds' quantities (§3.18)
}

}  // namespace commsim::model
