#pragma once
// Residential embedding (互嵌): households move out, migrants move in, and households relocate
// within the community - by free choice with a homophily threshold (Schelling 1971) or under an
// allocation policy that mixes groups (Kashgar [004]); sim/policy/housing_allocation.hpp.
//
// Space: a dwelling is a household slot of the population. Each building is a 2-D lattice of
// dwellings: rows are floors, columns are (stairwell, door) pairs - stairwell k's dwelling i is
// on floor i / doors_per_floor, door i % doors_per_floor. A dwelling's neighbours are its Moore
// neighbourhood on that lattice (up to 8: the floors above and below and the adjacent doors,
// across the wall into the next stairwell). A register with floors (community.register) places
// each dwelling on its own floor instead (Embedding::floor_lattice). Slots keep their size and age
// structure; a move carries the household's ethnic group and, member by member as far as the two
// slots' sizes match, its members' states (proficiency, trust, belonging, attitude, ties). An empty
// slot is marked vacant (Population::household_vacant) and skipped by every mechanism. With
// everything else off, two groups, ~10% vacancies and the free-choice rule, this is Schelling's
// model on that lattice.

#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/activities.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/output/recorder.hpp"
#include "sim/policy/housing_allocation.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

// The share of dwellings empty at the start: embedding.initial_vacancy, or (when it is -1) the
// stationary vacant share of moves out and in, p_out / (p_out + p_in).
double initial_vacancy_share(const scenario::EmbeddingSpec& spec);

class Embedding {
 public:
  // Empties round(initial_vacancy_share x households) dwellings, chosen at random (none for a
  // register, unless embedding.initial_vacancy is given).
  Embedding(const scenario::Scenario& s, population::Population& pop, output::Recorder& recorder,
            StreamKey key);

  // Grid phase: records the grid's mean same-group neighbour share.
  void measure(const population::Population& pop, GridId g, const output::Recorder::Row& row) const;
  // Grid phase: the first draw of the day of each of the grid's dwellings for moving out and for
  // relocating, which run() reads. A draw is a function of its address, so it can be made in
  // parallel over grids; made in the ordered phase, these two draws for every dwelling took
  // most of its moves' time. run() makes those of a grid this step did not.
  void draw_moves(const population::Population& pop, GridId g, Day d, StreamKey key);
  // Ordered phase: moves out, relocations, moves in; records the dissimilarity index.
  void run(population::Population& pop, Day d, StreamKey key, SocialState& social,
           ResidentState& residents, const output::Recorder::Row& row);

  std::span<const std::uint32_t> neighbours(std::uint32_t h) const {
    return {neighbours_.data() + first_[h], first_[h + 1] - first_[h]};
  }
  // Share of group `group` among the occupied neighbours of dwelling h, not counting `ignore`;
  // 1 when h has no occupied neighbour (nobody to mind).
  double same_group_share(const population::Population& pop, std::uint32_t h, std::uint8_t group,
                          std::uint32_t ignore) const;
  // Mean over occupied dwellings with at least one occupied neighbour.
  double mean_same_group_share(const population::Population& pop) const;
  // Multi-group dissimilarity index over buildings (Reardon & Firebaugh 2002; the two-group
  // Duncan index for two groups).
  double dissimilarity(const population::Population& pop) const;
  std::size_t vacancies() const { return vacant_.size(); }

 private:
  void floor_lattice(const population::Population& pop);
  void vacate(population::Population& pop, std::uint32_t h, SocialState& social);
  void settle(population::Population& pop, std::uint32_t h, std::uint8_t group, Day d,
              StreamKey key, SocialState& social, ResidentState& residents);
  void relocate(population::Population& pop, std::uint32_t from, std::uint32_t to, Day d,
                StreamKey key, SocialState& social, ResidentState& residents);
  std::size_t choose(const population::Population& pop, std::uint8_t group, std::uint32_t mover,
                     bool must_move, Stream& rng) const;  // index into vacant_ or kNoDwelling

  scenario::EmbeddingSpec spec_;
  scenario::ContactSpec contact_;
  scenario::CommunitySpec community_;  // the groups' inputs for the households that move in
  std::vector<double> newcomer_shares_;
  float initial_trust_;  // Model I: wellbeing.initial, the value every measure starts from
  policy::AllocationRule allocate_;
  std::vector<std::uint32_t> first_;  // size households + 1
  std::vector<std::uint32_t> neighbours_;
  std::vector<std::uint32_t> vacant_;  // vacant dwellings
  // By dwelling, the uniforms that decide today's move out and relocation (draw_moves), and by
  // grid, the day they were drawn for.
  std::vector<double> out_draw_, relocate_draw_;
  std::vector<std::int32_t> drawn_day_;
  // Caches of what depends only on which dwellings are vacant and their groups, which only this
  // mechanism changes (population.hpp): each grid's sums of same_group_neighbour_share (a grid's
  // neighbourhoods lie in its buildings) and the dissimilarity index, recomputed after a move.
  struct ShareSums {
    double sum = 0, count = 0;
    bool stale = true;
  };
  mutable std::vector<ShareSums> share_sums_;  // by grid; grid g's entry is written by grid g only
  double dissimilarity_today_ = 0;
  bool dissimilarity_stale_ = true;
  void changed(const population::Population& pop, std::uint32_t h);
  output::MetricId same_share_, dissimilarity_, moves_in_, moves_out_, moves_within_,
      vacant_metric_;
};

}  // namespace commsim::model
