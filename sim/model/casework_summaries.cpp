#include "sim/model/casework_summaries.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace commsim::model {

std::vector<output::Metric> casework_summaries(const CaseworkParts& m,
                                               const population::Population& pop) {
  std::vector<output::Metric> out;
  std::vector<double> durations;
  double opened = 0, resolved = 0, wait = 0, waited = 0, served = 0, busy = 0, available = 0;
  std::vector<double> by_level(4, 0.0);
  for (std::size_t g = 0; g < m.orders.grids.size(); ++g) {
    const auto& gs = m.orders.grids[g];
    const auto& q = m.service.totals()[g];
    durations.insert(durations.end(), gs.durations.begin(), gs.durations.end());
    opened += static_cast<double>(gs.opened);
    resolved += static_cast<double>(gs.resolved);
    wait += q.wait_sum;
    waited += q.waited;
    served += q.served;
    busy += q.busy;
    available += q.available;
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
       {m.orders.unresolved_end()}});
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
  const double with_open =
      opened > 0 ? (closed_days + m.orders.open_age_days_end()) / opened : std::nan("");
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
                 {m.orders.hidden_end()}});
  out.push_back({"whistles",
                 "orders",
                 "Whistles to departments over the run (first whistles and re-whistles), by "
                 "whistle kind.",
                 {{"kind", whistle_kind_names()}},
                 m.escalation.whistles_total()});
  out.push_back({"follow_ups",
                 "orders",
                 "Follow-ups of whistled orders after unsuccessful department responses.",
                 {},
                 {static_cast<double>(m.escalation.follow_ups_total())}});
  out.push_back({"rewhistles",
                 "orders",
                 "Orders whistled again after a follow-up.",
                 {},
                 {static_cast<double>(m.escalation.rewhistles_total())}});
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
                 {static_cast<double>(m.staff.plan.total_full_time())}});
  out.push_back({"part_time_workers",
                 "workers",
                 "Part-time grid workers.",
                 {},
                 {static_cast<double>(m.staff.plan.total_part_time())}});
  out.push_back({"centre_workers",
                 "workers",
                 "Full-time workers at the coordination centre.",
                 {},
                 {static_cast<double>(m.staff.plan.centre)}});
  out.push_back({"volunteers",
                 "volunteers",
                 "Volunteers at the end of the run.",
                 {},
                 {static_cast<double>(m.volunteers.total_members())}});
  out.push_back({"volunteers_by_group",
                 "volunteers",
                 "Volunteers at the end of the run, by ethnic group (team members are residents).",
                 {{"group", pop.group_names}},
                 m.volunteers.members_by_group()});
  out.push_back({"volunteer_departures",
                 "volunteers",
                 "Members who left their team during the run: quit when overloaded or moved away.",
                 {},
                 {static_cast<double>(m.volunteers.departures())}});
  out.push_back({"volunteer_shortfall",
                 "volunteers",
                 "Team places at the start that no eligible resident of the grid could fill.",
                 {},
                 {static_cast<double>(m.volunteers.shortfall())}});
  return out;
}

std::vector<output::Metric> staff_summaries(const CaseworkParts& m,
                                            const population::Population& pop) {
  const output::Dimension contract{"contract", {"full_time", "part_time"}};
  const output::Dimension groups{"group", pop.group_names};
  std::vector<double> speak(pop.groups(), 0.0), handled(pop.groups(), 0.0),
      matched(pop.groups(), 0.0);
  double workers = 0;
  const Workforce& workforce = m.staff.workforce;
  for (std::uint32_t g = 0; g < m.orders.grids.size(); ++g) {
    for (std::size_t w = 0; w < workforce.skill[g].size(); ++w) {
      workers += 1;
      for (std::uint32_t k = 0; k < pop.groups(); ++k)
        speak[k] += workforce.speaks_language(g, w, static_cast<std::uint8_t>(k));
    }
    for (std::size_t k = 0; k < handled.size(); ++k) {
      handled[k] += m.orders.grids[g].low_handled[k];
      matched[k] += m.orders.grids[g].low_matched[k];
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
                 {m.staff.skill_start[0], m.staff.skill_start[1]}});
  out.push_back(
      {"worker_skill_end",
       "score 0-1",
       "Mean skill of grid workers at the end of the run (after training).",
       {contract},
       {workforce.mean_skill(true, m.staff.plan), workforce.mean_skill(false, m.staff.plan)}});
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

}  // namespace commsim::model
