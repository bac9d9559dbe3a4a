#include "sim/model/escalation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/progress.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kWhistle = purpose("casework.whistle");
}  // namespace

std::vector<std::string> whistle_kind_names() {
  return {"management_service", "key_task", "emergency"};
}

Escalation::Escalation(const scenario::Scenario& s, output::Recorder& recorder, const Staff& staff)
    : spec_(s.casework), week_(staff.week), hours_(s.staffing.hours_per_day) {
  centre_capacity_ = spec_.community_capacity_hours >= 0 ? spec_.community_capacity_hours
                                                         : staff.plan.centre * hours_ / 2.0;
  sigma_by_kind_ = spec_.whistle_delay_sigma_by_kind;
  if (sigma_by_kind_.empty()) sigma_by_kind_.assign(3, spec_.whistle_delay_sigma);
  response_by_kind_ = spec_.department_response_by_kind;
  if (response_by_kind_.empty()) response_by_kind_.assign(3, spec_.department_response);
  const output::Dimension kinds{"kind", whistle_kind_names()};
  whistles_ = recorder.add({.name = "whistles",
                            .unit = "orders",
                            .description = "Orders the subdistrict whistled to a department (first "
                                           "whistles and re-whistles), by whistle kind.",
                            .dims = {kinds}});
  follow_ups_ = recorder.add({.name = "follow_ups",
                              .unit = "orders",
                              .description = "Whistled orders the grid worker followed up after a "
                                             "department's response that did not solve them."});
  rewhistles_ = recorder.add(
      {.name = "rewhistles",
       .unit = "orders",
       .description = "Orders whistled again after a follow-up (rounds after the first)."});
}

void Escalation::start_recording() {
  follow_ups_total_ = rewhistles_total_ = 0;
  std::fill(whistles_total_.begin(), whistles_total_.end(), 0.0);
}

void Escalation::whistle(StreamKey key, NeedRef ref, const WorkOrderTable& orders,
                         std::uint8_t round, double from, const output::Recorder::Row& row) {
  const WorkOrders& gs = orders.grids[ref.grid];
  const Need& need = gs.log[ref.index];
  double u = 0, z = 0;
  if (round == 0) {
    const NeedDraws dr = orders.draws(ref.grid, ref.index);
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
  const double response = std::max(1.0, delay) * hours_;
  if (limited_)
    pending_.push_back({ref, from, response, round, u < response_by_kind_[kind]});
  else
    whistled_.push_back({ref, from + response, round, u < response_by_kind_[kind], false});
  if (!need.recorded()) return;
  whistles_total_[kind] += 1;
  row.add(whistles_, kind, 1.0);
}

void Escalation::centre(const population::Population& pop, Day d, StreamKey key,
                        WorkOrderTable& orders, ResidentState& residents,
                        const output::Recorder::Row& row) {
  for (std::uint32_t g = 0; g < orders.grids.size(); ++g) {
    for (auto i : orders.grids[g].escalated) {
      centre_queue_.push_back({g, i});
      centre_since_.push_back(d.value);
    }
    orders.grids[g].escalated.clear();
  }
  // Orders the centre has not reached in casework.centre_wait_days go to the subdistrict, which
  // whistles them at the start of the day; closed ones leave the queue.
  std::size_t kept = 0;
  for (std::size_t q = 0; q < centre_queue_.size(); ++q) {
    const NeedRef ref = centre_queue_[q];
    if (orders.grids[ref.grid].log[ref.index].state != NeedState::Reported) continue;
    if (d.value - centre_since_[q] > spec_.centre_wait_days) {
      whistle(key, ref, orders, 0, d.value * hours_, row);
      continue;
    }
    centre_queue_[kept] = ref;
    centre_since_[kept++] = centre_since_[q];
  }
  centre_queue_.resize(kept);
  centre_since_.resize(kept);
  if (!week_.working(d) || centre_capacity_ <= 0) return;
  // The centre's clock runs in its own capacity hours; work left over from the last working
  // day (not the weekend) comes first.
  const double start = d.value * centre_capacity_, end = (d.value + 1) * centre_capacity_;
  centre_clock_ = start + centre_carry_;
  const auto grid_clock = [&](double clock) {
    return (d.value + (clock - start) / centre_capacity_) * hours_;
  };
  const OrderTypes& types = orders.types();
  std::size_t head = 0;
  for (; head < centre_queue_.size() && centre_clock_ < end; ++head) {
    const NeedRef ref = centre_queue_[head];
    const WorkOrders& gs = orders.grids[ref.grid];
    const Need& need = gs.log[ref.index];
    if (need.state != NeedState::Reported) continue;
    const NeedDraws dr = orders.draws(ref.grid, ref.index);
    centre_clock_ += dr.service * types.mean_hours[need.type] * spec_.community_service_multiplier;
    if (types.min_level[need.type] <= kLevelCommunity &&
        dr.community < spec_.community_resolution) {
      orders.close(pop, ref.grid, ref.index, kLevelCommunity, kCentre, d, grid_clock(centre_clock_),
                   residents, row);
    } else {
      whistle(key, ref, orders, 0, grid_clock(centre_clock_), row);
    }
  }
  centre_queue_.erase(centre_queue_.begin(),
                      centre_queue_.begin() + static_cast<std::ptrdiff_t>(head));
  centre_since_.erase(centre_since_.begin(),
                      centre_since_.begin() + static_cast<std::ptrdiff_t>(head));
  centre_carry_ = std::max(0.0, centre_clock_ - end);
}

void Escalation::whistles(const population::Population& pop, Day d, StreamKey key,
                          WorkOrderTable& orders, ResidentState& residents,
                          const output::Recorder::Row& row) {
  const double day_end = (d.value + 1) * hours_;
  // Departments' responses and grid workers' follow-ups due today; a follow-up with
  // follow_up_days 0 falls on the day of the response, hence the loop. Each event of today leads
  // to at most one more today (its follow-up), and a follow-up's re-whistle falls on a later day.
  Progress progress("escalation and whistle", 2 * whistled_.size() + 2);
  std::vector<Whistled>& due = due_;
  while (true) {
    progress.turn();
    due.clear();
    std::erase_if(whistled_, [&](const Whistled& w) {
      if (w.at >= day_end) return false;
      due.push_back(w);
      return true;
    });
    if (due.empty()) break;
    for (const Whistled& w : due) {
      const Need& need = orders.grids[w.ref.grid].log[w.ref.index];
      if (need.state != NeedState::Reported) continue;  // a council topic fixed it meanwhile
      if (!w.follow_up) {
        if (w.solves)
          orders.close(pop, w.ref.grid, w.ref.index, kLevelSubdistrict, kDept, d, w.at, residents,
                       row);
        else
          whistled_.push_back({w.ref, w.at + spec_.follow_up_days * hours_, w.round, false, true});
        continue;
      }
      if (need.recorded()) {
        follow_ups_total_ += 1;
        row.add(follow_ups_, 1.0);
      }
      if (w.round + 1 < spec_.max_whistles) {
        if (need.recorded()) {
          rewhistles_total_ += 1;
          row.add(rewhistles_, 1.0);
        }
        whistle(key, w.ref, orders, static_cast<std::uint8_t>(w.round + 1), w.at, row);
      } else {
        // The last round did not solve it: the order is closed unresolved (a terminal state),
        // not left open for ever.
        orders.close_unresolved(pop, w.ref.grid, w.ref.index, d, residents, row);
      }
    }
  }
}

}  // namespace commsim::model
