#include "sim/scenario/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>

#include "sim/scenario/region.hpp"

namespace commsim::scenario {

namespace {

// Calibrated on the build machine (a shared 2-core VM, Release build, one thread) with
// /usr/bin/time -v runs of the baseline and variants (see tests/scenario/test_estimate.cpp and
// the note of issue #14); each constant names the runs that fix it.
// Memory.
constexpr double kBaseBytes = 20e6;        // the process and the scenario: baseline, 30 days
constexpr double kBytesPerResident = 110;  // population, resident state; ties extra (below)
constexpr double kBytesPerTie = 8;         // partner index and strength, per tie slot
constexpr double kBytesPerGrid = 4e3;      // per-grid queues, staff, names, the day's row
constexpr double kBytesPerNeed = 130;      // a need in its grid's log, kept for the whole run
constexpr double kSeriesCopies = 1;  // the series held once: moved from the recorder to the result
// Time.
constexpr double kSecondsPerResident = 1e-7;     // building the population
constexpr double kSecondsPerResidentDay = 8e-8;  // the daily mechanisms, burn-in days too
constexpr double kSecondsPerGridDay = 5e-6;      // a grid's queue, staff, day row
constexpr double kSecondsPerScan = 2e-9;         // a council's pass over its residents
constexpr double kSecondsPerEncounter = 1e-8;    // a Deffuant pair, an HK opinion's round
constexpr double kSecondsPerTie = 1e-7;          // a tie made at a council

double meetings_per_year(policy::Calendar c) {
  switch (c) {
    case policy::Calendar::None:
      return 0;
    case policy::Calendar::Daily:
      return 365;
    case policy::Calendar::Weekly:
      return 365.0 / 7;
    case policy::Calendar::DaysWith4:
      return 36;
    case policy::Calendar::Monthly:
      return 12;
    case policy::Calendar::ConsultationMonth:
      return 12 + 31.0 / 7;
    case policy::Calendar::Yearly:
      return 1;
  }
  return 365;
}

// Share of residents at most `age` years old, from the age bands (uniform within a band).
double share_up_to(const CommunitySpec& c, double age) {
  double share = 0;
  for (const auto& b : c.age_bands) {
    const double width = static_cast<double>(b.to - b.from + 1);
    const double in = std::clamp(age + 1 - static_cast<double>(b.from), 0.0, width);
    share += b.share * in / width;
  }
  return share;
}

// Cells per grid and day of the series kept for every grid (needs_arisen by group and need
// type, grid_households), and of the day's row of every metric.
double grid_cells(const Scenario& s) {
  const double groups = static_cast<double>(s.community.groups.size());
  const double types = static_cast<double>(s.needs.types.size());
  return groups * types + 1;
}

// The expected number of needs arising a day: each type's yearly rate over its exposed units,
// with its multipliers at the community's elderly and low-income shares and the mean building
// age (approximate: a household's elderly share taken as the residents', one need per unit and
// day not enforced; well within the estimate's factor). Stairwells and buildings are filled grid
// by grid, the last of each in a grid partly (population.cpp).
double needs_per_day(const Scenario& s, double residents, double households, double grids) {
  const auto& c = s.community;
  const double elderly = 1 - share_up_to(c, static_cast<double>(c.elderly_age) - 1);
  const double child = share_up_to(c, static_cast<double>(c.child_age));
  const double per_grid = std::ceil(households / grids);
  const double stairwells_per_grid =
      std::ceil(per_grid / static_cast<double>(c.households_per_stairwell));
  const Register* reg = c.household_register.get();  // a register: its own counts
  const double stairwells = reg ? reg->stairwells() : grids * stairwells_per_grid;
  const double buildings =
      reg ? reg->buildings()
          : grids * std::ceil(stairwells_per_grid / static_cast<double>(c.stairwells_per_building));
  double low_income = 0;  // households' share, over the groups' own shares
  for (std::size_t g = 0; g < c.groups.size(); ++g)
    low_income += c.groups[g].share * low_income_share(c, g);
  const double age = (c.building_age_min + c.building_age_max) / 2.0;
  double per_day = 0;
  const double units_by_scope[] = {residents, households, stairwells, buildings};  // NeedScope
  for (const auto& t : s.needs.types) {
    const double units = units_by_scope[static_cast<int>(t.scope)];
    const bool shared = t.scope == NeedScope::Stairwell || t.scope == NeedScope::Building;
    const double exposed = t.who == NeedWho::Any       ? 1
                           : shared                    ? 0
                           : t.who == NeedWho::Elderly ? elderly
                           : t.who == NeedWho::Child   ? child
                                                       : low_income;
    const double low = t.who == NeedWho::LowIncome ? 1 : low_income;
    const double old = t.who == NeedWho::Elderly ? 1 : elderly;
    const double rate = t.rate *
                        (shared ? 1
                                : (1 + old * (t.elderly_multiplier - 1)) *
                                      (1 + low * (t.low_income_multiplier - 1))) *
                        std::pow(1 + t.building_age_growth, age / 10);
    per_day += units * exposed * rate / 365;
  }
  return per_day;
}

}  // namespace

ResourceEstimate estimate_resources(const Scenario& s) {
  if (s.region) {
    // A region: its communities' worlds side by side in one process, run one after another on
    // one thread.
    ResourceEstimate e;
    e.process_bytes = kBaseBytes;
    e.memory_bytes = kBaseBytes;
    for (const auto& community : s.region->communities) {
      const ResourceEstimate one = estimate_resources(*community.scenario);
      e.residents += one.residents;
      e.grids += one.grids;
      e.days = one.days;
      e.simulated_days = one.simulated_days;
      e.memory_bytes += one.memory_bytes - one.process_bytes;
      e.seconds += one.seconds;
      e.deliberation_seconds += one.deliberation_seconds;
    }
    return e;
  }
  const auto& c = s.community;
  ResourceEstimate e;
  const double households = static_cast<double>(c.households);
  double per_household = 0;  // the groups' mean household sizes, weighted by their shares
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const auto& w = size_weights(c, g);
    double weight = 0, people = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      weight += w[i];
      people += w[i] * static_cast<double>(i + 1);
    }
    per_household += c.groups[g].share * (weight > 0 ? people / weight : 1);
  }
  e.residents = c.household_register ? c.household_register->members() : households * per_household;
  e.grids = grid_count(c);
  // Recorded days hold series; every simulated day (the burn-in too) costs time and adds needs
  // to the logs.
  const double days = e.days = static_cast<double>(s.run.days);
  const double simulated = e.simulated_days = days + static_cast<double>(s.run.burn_in_days);
  const double cells = grid_cells(s);

  e.process_bytes = kBaseBytes;
  e.memory_bytes =
      kBaseBytes +
      e.residents *
          (kBytesPerResident + kBytesPerTie * static_cast<double>(s.contact.tie_capacity)) +
      e.grids * (kBytesPerGrid + 8 * cells) + kSeriesCopies * 8 * days * e.grids * cells +
      kBytesPerNeed * needs_per_day(s, e.residents, households, e.grids) * simulated;

  // Councils: each meeting day passes over the residents once, then every council's present
  // members make ties and deliberate up to topics.per_meeting topics.
  const double meetings = meetings_per_year(s.councils.calendar) * simulated / 365;
  const double councils = s.councils.level == CouncilLevel::Grid ? e.grids : 1;
  const double pool =
      e.residents * (1 - share_up_to(c, static_cast<double>(c.child_age))) / councils;
  const double present =
      s.councils.seat_selection == policy::SeatSelection::Open
          ? pool * std::min(1.0, s.councils.open_attendance)
          : std::min(static_cast<double>(s.councils.seats), pool) * s.councils.seat_attendance;
  const double rounds = static_cast<double>(s.deliberation.rounds);
  // Deffuant: rounds x n/2 pair encounters; Hegselmann-Krause: every opinion each round (the
  // sort is a small part at council sizes). Every agenda is taken as full (topics.per_meeting),
  // so this part is an upper bound when fewer topics are raised.
  const double per_topic =
      rounds * (s.deliberation.model == OpinionModel::Deffuant ? std::floor(present / 2) : present);
  e.deliberation_seconds =
      meetings *
      (e.residents * kSecondsPerScan +
       councils * (present * static_cast<double>(s.councils.ties_per_participant) * kSecondsPerTie +
                   static_cast<double>(s.topics.per_meeting) * per_topic * kSecondsPerEncounter));
  e.seconds = e.residents * (kSecondsPerResident + simulated * kSecondsPerResidentDay) +
              e.grids * simulated * kSecondsPerGridDay + e.deliberation_seconds;
  return e;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes < 10 && u > 0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
  return buf;
}

std::string format_seconds(double seconds) {
  char buf[32];
  if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%.2g s", seconds);
  else if (seconds < 3600)
    std::snprintf(buf, sizeof buf, "%.1f min", seconds / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
  return buf;
}

std::optional<double> available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  double value = 0;
  while (in >> key >> value >> unit)
    if (key == "MemAvailable:") return value * 1024;
  return std::nullopt;
}

void check_memory(const ResourceEstimate& e, double limit_bytes, const Node& resolved) {
  if (e.memory_bytes <= limit_bytes) return;
  const Node* community = resolved.find("community");
  const Node* households = community ? community->find("households") : nullptr;
  throw ScenarioError(
      households ? households->where : resolved.where, "community.households",
      "the run needs about " + format_bytes(e.memory_bytes) + " of memory (" +
          std::to_string(std::llround(e.residents)) + " residents in " +
          std::to_string(std::llround(e.grids)) + " grids for " +
          std::to_string(std::llround(e.simulated_days)) +
          " simulated days), more than the limit of " + format_bytes(limit_bytes),
      "fewer households or days, more community.households_per_grid, or a higher --max-memory");
}

double memory_at_once(const ResourceEstimate& e, double runs_at_once) {
  return e.process_bytes + runs_at_once * (e.memory_bytes - e.process_bytes);
}

std::string time_warning(const ResourceEstimate& e) {
  if (e.seconds < 3600) return "";
  std::string why = e.deliberation_seconds > e.seconds / 2
                        ? " (councils and deliberation: " + format_seconds(e.deliberation_seconds) +
                              "; see councils.calendar, councils.seats, deliberation.rounds, "
                              "topics.per_meeting)"
                        : "";
  return "the run is estimated to take about " + format_seconds(e.seconds) + " on one thread" + why;
}

}  // namespace commsim::scenario
