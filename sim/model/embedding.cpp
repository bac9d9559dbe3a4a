#include "sim/model/embedding.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace commsim::model {

namespace {
constexpr Purpose kInitial = purpose("embedding.initial");
constexpr Purpose kOut = purpose("embedding.out");
constexpr Purpose kRelocate = purpose("embedding.relocate");
constexpr Purpose kIn = purpose("embedding.in");
constexpr Purpose kNewcomer = purpose("embedding.newcomer");
constexpr std::uint32_t kNobody = 0xFFFFFFFFu;  // an in-mover has no dwelling to ignore

double daily(double per_year) {
  return 1.0 - std::exp(-per_year / 365.0);
}
}  // namespace

double initial_vacancy_share(const scenario::EmbeddingSpec& spec) {
  if (spec.initial_vacancy >= 0) return spec.initial_vacancy;
  // A dwelling is occupied or vacant: it empties with p_out a day and fills with p_in a day
  // (moves in are vacancies x p_in), so the stationary vacant share is p_out / (p_out + p_in).
  const double out = daily(spec.move_out_rate), in = daily(spec.move_in_rate);
  return out + in > 0 ? std::min(0.9, out / (out + in)) : 0.0;
}

Embedding::Embedding(const scenario::Scenario& s, population::Population& pop,
                     output::Recorder& recorder, StreamKey key)
    : spec_(s.embedding),
      contact_(s.contact),
      community_(s.community),
      initial_trust_(static_cast<float>(s.wellbeing.initial)),
      allocate_(policy::allocation_rule(s.embedding.allocation)) {
  for (std::size_t g = 0; g < community_.groups.size(); ++g)
    newcomer_shares_.push_back(scenario::newcomer_share(community_, g));
  if (pop.household_floor.empty()) {
    // The lattice of each building: floors x (stairwell, door).
    const auto doors = static_cast<std::uint32_t>(spec_.doors_per_floor);
    first_.push_back(0);
    for (std::uint32_t h = 0; h < pop.households(); ++h) {
      const std::uint32_t s0 = pop.household_stairwell[h];
      const std::uint32_t b = pop.stairwell_building[s0];
      const population::Range stairs = pop.building_stairwells(b);
      const std::uint32_t k = h - pop.stairwell_first_household[s0];
      const auto floor = static_cast<std::int64_t>(k / doors);
      const auto column = static_cast<std::int64_t>((s0 - stairs.begin) * doors + k % doors);
      for (std::int64_t df = -1; df <= 1; ++df)
        for (std::int64_t dc = -1; dc <= 1; ++dc) {
          if ((df == 0 && dc == 0) || floor + df < 0 || column + dc < 0) continue;
          const auto c = static_cast<std::uint32_t>(column + dc);
          const std::uint32_t s = stairs.begin + c / doors;
          if (s >= stairs.end) continue;
          const auto kk = static_cast<std::uint32_t>(floor + df) * doors + c % doors;
          const population::Range in = pop.stairwell_households(s);
          if (kk < in.size()) neighbours_.push_back(in.begin + kk);
        }
      first_.push_back(static_cast<std::uint32_t>(neighbours_.size()));
    }
  } else {
    floor_lattice(pop);
  }
  // Initial vacancies: a random set of exact size. A register lists the households that live
  // there: none is empty unless the scenario says so.
  const double vacancy = s.community.household_register && spec_.initial_vacancy < 0
                             ? 0.0
                             : initial_vacancy_share(spec_);
  const auto empty =
      static_cast<std::uint32_t>(std::llround(vacancy * static_cast<double>(pop.households())));
  std::vector<std::uint32_t> order(pop.households());
  for (std::uint32_t h = 0; h < order.size(); ++h) order[h] = h;
  Stream rng(key, kInitial, 0, 0);
  for (std::uint32_t i = 0; i < empty && i < order.size(); ++i) {
    std::swap(order[i], order[i + rng.below(order.size() - i)]);
    pop.household_vacant[order[i]] = 1;
  }
  for (std::uint32_t h = 0; h < pop.households(); ++h)
    if (pop.household_vacant[h]) vacant_.push_back(h);
  share_sums_.resize(pop.grids());
  out_draw_.resize(pop.households());
  relocate_draw_.resize(pop.households());
  drawn_day_.assign(pop.grids(), std::numeric_limits<std::int32_t>::min());

  using output::Combine;
  using output::EndRule;
  same_share_ = recorder.add(
      {.name = "same_group_neighbour_share",
       .unit = "share",
       .description = "Mean share of same-group households among a household's occupied "
                      "neighbours (Moore neighbourhood in the building's lattice of dwellings).",
       .combine = Combine::Ratio,
       .summary = EndRule::Final,
       .key = true});
  dissimilarity_ = recorder.add(
      {.name = "dissimilarity_index",
       .unit = "index",
       .description = "Multi-group dissimilarity index of households over buildings (Reardon & "
                      "Firebaugh 2002), after the day's moves.",
       .combine = Combine::None,
       .summary = EndRule::Final,
       .key = true});
  const auto moves = [&](const char* name, const char* doc, bool key) {
    return recorder.add({.name = name,
                         .unit = "households",
                         .description = doc,
                         .summary = EndRule::Total,
                         .key = key});
  };
  moves_in_ = moves("moves_in", "Households moving into the community.", true);
  moves_out_ = moves("moves_out", "Households moving out of the community.", false);
  moves_within_ = moves("moves_within", "Households relocating within the community.", false);
  vacant_metric_ = recorder.add({.name = "vacant_dwellings",
                                 .unit = "dwellings",
                                 .description = "Vacant dwellings at the end of the day.",
                                 .summary = EndRule::Final});
}

// The lattice from a register's floors: in each building, a dwelling at (floor, column), its
// column the stairwell's offset times the building's widest floor plus its place among the
// stairwell's dwellings on that floor (the register lists them by floor); its neighbours are
// the dwellings of the building one floor and one column away at most, as on the regular lattice.
void Embedding::floor_lattice(const population::Population& pop) {
  std::vector<std::uint32_t> column(pop.households());
  for (std::uint32_t b = 0; b < pop.buildings(); ++b) {
    const population::Range stairs = pop.building_stairwells(b);
    // At least doors_per_floor wide, as the regular lattice: floors that fill its doors in order
    // give its neighbours.
    auto width = static_cast<std::uint32_t>(spec_.doors_per_floor);
    for (std::uint32_t s = stairs.begin; s < stairs.end; ++s) {
      const population::Range hs = pop.stairwell_households(s);
      for (std::uint32_t h = hs.begin, door = 0; h < hs.end; ++h) {
        door = h > hs.begin && pop.household_floor[h] == pop.household_floor[h - 1] ? door + 1 : 0;
        column[h] = door;
        width = std::max(width, door + 1);
      }
    }
    for (std::uint32_t s = stairs.begin; s < stairs.end; ++s) {
      const population::Range hs = pop.stairwell_households(s);
      for (std::uint32_t h = hs.begin; h < hs.end; ++h) column[h] += (s - stairs.begin) * width;
    }
  }
  // Each building's dwellings sorted by (floor, column): each of a dwelling's up to eight
  // neighbours is one binary search away, so a building of any size costs n log n.
  using Cell = std::tuple<int, std::uint32_t, std::uint32_t>;  // floor, column, dwelling
  std::vector<Cell> cells;
  std::vector<std::vector<std::uint32_t>> found(pop.households());
  for (std::uint32_t b = 0; b < pop.buildings(); ++b) {
    const population::Range stairs = pop.building_stairwells(b);
    const std::uint32_t from = pop.stairwell_first_household[stairs.begin];
    const std::uint32_t to = pop.stairwell_first_household[stairs.end];
    cells.clear();
    for (std::uint32_t h = from; h < to; ++h)
      cells.emplace_back(pop.household_floor[h], column[h], h);
    std::sort(cells.begin(), cells.end());
    for (const auto& [floor, col, h] : cells)
      for (int df = -1; df <= 1; ++df)
        for (int dc = -1; dc <= 1; ++dc) {
          if ((df == 0 && dc == 0) || (dc < 0 && col == 0)) continue;
          const Cell at{floor + df, static_cast<std::uint32_t>(static_cast<int>(col) + dc), 0};
          const auto it = std::lower_bound(cells.begin(), cells.end(), at);
          if (it != cells.end() && std::get<0>(*it) == std::get<0>(at) &&
              std::get<1>(*it) == std::get<1>(at))
            found[h].push_back(std::get<2>(*it));
        }
  }
  first_.assign(1, 0);
  for (std::uint32_t h = 0; h < pop.households(); ++h) {
    std::sort(found[h].begin(), found[h].end());
    neighbours_.insert(neighbours_.end(), found[h].begin(), found[h].end());
    first_.push_back(static_cast<std::uint32_t>(neighbours_.size()));
  }
}

double Embedding::same_group_share(const population::Population& pop, std::uint32_t h,
                                   std::uint8_t group, std::uint32_t ignore) const {
  std::uint32_t occupied = 0, same = 0;
  for (auto n : neighbours(h)) {
    if (n == ignore || pop.household_vacant[n]) continue;
    ++occupied;
    same += pop.household_group[n] == group;
  }
  return occupied == 0 ? 1.0 : static_cast<double>(same) / occupied;
}

void Embedding::changed(const population::Population& pop, std::uint32_t h) {
  share_sums_[pop.household_grid(h)].stale = true;
  dissimilarity_stale_ = true;
}

void Embedding::measure(const population::Population& pop, GridId g,
                        const output::Recorder::Row& row) const {
  if (!row.measuring()) return;  // a stale grid stays stale until it is measured
  ShareSums& sums = share_sums_[g.value];
  if (sums.stale) {  // summed in dwelling order, as one row addition per dwelling would be
    sums = {.sum = 0, .count = 0, .stale = false};
    const population::Range hs = pop.grid_households(g);
    for (std::uint32_t h = hs.begin; h < hs.end; ++h) {
      if (pop.household_vacant[h]) continue;
      std::uint32_t occupied = 0, same = 0;
      for (auto n : neighbours(h)) {
        if (pop.household_vacant[n]) continue;
        ++occupied;
        same += pop.household_group[n] == pop.household_group[h];
      }
      if (occupied > 0) sums.sum += static_cast<double>(same) / occupied, sums.count += 1.0;
    }
  }
  row.add_ratio(same_share_, 0, sums.sum, sums.count);
}

double Embedding::mean_same_group_share(const population::Population& pop) const {
  double sum = 0, n = 0;
  for (std::uint32_t h = 0; h < pop.households(); ++h) {
    if (pop.household_vacant[h]) continue;
    bool any = false;
    for (auto k : neighbours(h)) any |= !pop.household_vacant[k];
    if (!any) continue;
    sum += same_group_share(pop, h, pop.household_group[h], h);
    n += 1;
  }
  return n > 0 ? sum / n : std::nan("");
}

double Embedding::dissimilarity(const population::Population& pop) const {
  const std::uint32_t m = pop.groups();
  std::vector<double> total(m, 0.0), in(m, 0.0);
  double all = 0;
  for (std::uint32_t h = 0; h < pop.households(); ++h)
    if (!pop.household_vacant[h]) total[pop.household_group[h]] += 1, all += 1;
  if (all == 0) return std::nan("");
  double spread = 0;  // I = sum_m pi_m (1 - pi_m)
  for (std::uint32_t g = 0; g < m; ++g) spread += total[g] / all * (1 - total[g] / all);
  if (spread == 0) return 0.0;
  double d = 0;
  for (std::uint32_t b = 0; b < pop.buildings(); ++b) {
    std::fill(in.begin(), in.end(), 0.0);
    double t = 0;
    const population::Range s = pop.building_stairwells(b);
    for (std::uint32_t h = pop.stairwell_first_household[s.begin];
         h < pop.stairwell_first_household[s.end]; ++h)
      if (!pop.household_vacant[h]) in[pop.household_group[h]] += 1, t += 1;
    if (t == 0) continue;
    for (std::uint32_t g = 0; g < m; ++g) d += t * std::abs(in[g] / t - total[g] / all);
  }
  return d / (2.0 * all * spread);
}

void Embedding::vacate(population::Population& pop, std::uint32_t h, SocialState& social) {
  pop.household_vacant[h] = 1;
  changed(pop, h);
  const population::Range members = pop.household_residents(h);
  for (std::uint32_t r = members.begin; r < members.end; ++r) social.ties.clear(r);
  vacant_.push_back(h);
}

// A new household of `group` takes dwelling h (its vacancy already removed from the list).
void Embedding::settle(population::Population& pop, std::uint32_t h, std::uint8_t group, Day d,
                       StreamKey key, SocialState& social, ResidentState& residents) {
  const std::uint8_t previous = pop.household_group[h];
  pop.household_vacant[h] = 0;
  pop.household_group[h] = group;
  changed(pop, h);
  // The dwelling keeps its members' ages and its draws for income and app use; a household of a
  // group with other inputs (community.groups[]) has them applied to those draws, so one of the
  // same inputs changes nothing.
  const double income = scenario::low_income_share(community_, group);
  if (income != scenario::low_income_share(community_, previous)) {
    // Need rates read it each day (NeedArrival keeps rates by traits), so nothing to recompute.
    pop.household_low_income[h] = pop.household_income_draw[h] < income;
  }
  const auto& spec = community_.groups[group];
  const bool digital_differs =
      spec.digital_access_multiplier != community_.groups[previous].digital_access_multiplier;
  const population::Range members = pop.household_residents(h);
  for (std::uint32_t r = members.begin; r < members.end; ++r) {
    pop.resident_group[r] = group;
    if (digital_differs)
      pop.resident_digital[r] =
          pop.resident_digital_draw[r] <
          population::digital_access(community_, group, pop.resident_age_band[r]);
    Stream rng(key, kNewcomer, r, d.value);
    const bool low = rng.bernoulli(
        population::low_proficiency_chance(community_, group, pop.resident_elderly[r] != 0));
    pop.resident_proficiency[r] = population::proficiency_draw(low, rng);
    residents.reset(r, initial_trust_);
    if (r < residents.settled_day.size()) residents.settled_day[r] = d.value;
    social.reset(r, contact_, key, d);
  }
}

void Embedding::relocate(population::Population& pop, std::uint32_t from, std::uint32_t to, Day d,
                         StreamKey key, SocialState& social, ResidentState& residents) {
  const std::uint8_t group = pop.household_group[from];
  settle(pop, to, group, d, key, social, residents);
  const population::Range a = pop.household_residents(from), b = pop.household_residents(to);
  for (std::uint32_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    const std::uint32_t x = a.begin + i, y = b.begin + i;
    pop.resident_proficiency[y] = pop.resident_proficiency[x];
    residents.move(x, y);
    social.attitude[y] = social.attitude[x];
    social.interest[y] = social.interest[x];
    social.ties.move(x, y);
  }
  vacate(pop, from, social);
}

std::size_t Embedding::choose(const population::Population& pop, std::uint8_t group,
                              std::uint32_t mover, bool must_move, Stream& rng) const {
  if (vacant_.empty()) return policy::kNoDwelling;
  const auto k = static_cast<std::size_t>(spec_.search_candidates);
  std::vector<std::size_t> candidates;
  std::vector<double> share;
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t v = rng.below(vacant_.size());
    candidates.push_back(v);
    share.push_back(same_group_share(pop, vacant_[v], group, mover));
  }
  const double current = mover == kNobody ? 0.0 : same_group_share(pop, mover, group, mover);
  const std::size_t pick = allocate_(share, spec_.homophily_threshold, current, must_move);
  return pick == policy::kNoDwelling ? pick : candidates[pick];
}

void Embedding::draw_moves(const population::Population& pop, GridId g, Day d, StreamKey key) {
  const population::Range households = pop.grid_households(g);
  // Vacant dwellings too: a draw is a function of its address, whoever reads it.
  for (std::uint32_t h = households.begin; h < households.end; ++h)
    out_draw_[h] = Stream(key, kOut, h, d.value).uniform();
  if (spec_.relocation_rate > 0)
    for (std::uint32_t h = households.begin; h < households.end; ++h)
      relocate_draw_[h] = Stream(key, kRelocate, h, d.value).uniform();
  drawn_day_[g.value] = d.value;
}

void Embedding::run(population::Population& pop, Day d, StreamKey key, SocialState& social,
                    ResidentState& residents, const output::Recorder::Row& row) {
  const double p_out = daily(spec_.move_out_rate), p_move = daily(spec_.relocation_rate);
  const std::uint32_t households = pop.households();
  for (std::uint32_t g = 0; g < pop.grids(); ++g)
    if (drawn_day_[g] != d.value) draw_moves(pop, GridId(g), d, key);
  // Moves out, then relocations, in dwelling order (draws addressed by dwelling and day).
  for (std::uint32_t h = 0; h < households; ++h) {
    if (pop.household_vacant[h]) continue;
    if (out_draw_[h] < p_out) {
      vacate(pop, h, social);
      row.add(moves_out_, 1.0);
    }
  }
  if (p_move > 0)
    for (std::uint32_t h = 0; h < households; ++h) {
      if (pop.household_vacant[h] || relocate_draw_[h] >= p_move) continue;
      Stream rng(key, kRelocate, h, d.value);
      rng.uniform();  // relocate_draw_[h]
      const std::uint8_t group = pop.household_group[h];
      // Schelling's rule: only a household with too few similar neighbours wants to move.
      if (same_group_share(pop, h, group, h) >= spec_.homophily_threshold) continue;
      const std::size_t v = choose(pop, group, h, false, rng);
      if (v == policy::kNoDwelling) continue;
      const std::uint32_t to = vacant_[v];
      vacant_[v] = vacant_.back();
      vacant_.pop_back();
      relocate(pop, h, to, d, key, social, residents);
      row.add(moves_within_, 1.0);
    }
  // Moves in: vacancies fill at move_in_rate; the newcomer's group follows the groups' newcomer
  // shares (their shares unless set).
  Stream rng(key, kIn, 0, d.value);
  const auto arrivals = std::min<std::int64_t>(
      rng.poisson(static_cast<double>(vacant_.size()) * daily(spec_.move_in_rate)),
      static_cast<std::int64_t>(vacant_.size()));
  for (std::int64_t i = 0; i < arrivals; ++i) {
    const auto group = static_cast<std::uint8_t>(rng.categorical(newcomer_shares_));
    const std::size_t v = choose(pop, group, kNobody, true, rng);
    const std::uint32_t to = vacant_[v];
    vacant_[v] = vacant_.back();
    vacant_.pop_back();
    settle(pop, to, group, d, key, social, residents);
    row.add(moves_in_, 1.0);
  }
  row.add(vacant_metric_, static_cast<double>(vacant_.size()));
  if (dissimilarity_stale_ && row.measuring())
    dissimilarity_today_ = dissimilarity(pop), dissimilarity_stale_ = false;
  row.add(dissimilarity_, dissimilarity_today_);
}

}  // namespace commsim::model
