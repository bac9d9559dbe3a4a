#include "sim/model/stewards.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kStewards = purpose("organisation.stewards");
}  // namespace

Stewards::Stewards(const scenario::Scenario& s, const population::Population& pop, StreamKey key)
    : key_(key), mediation_(s.organisation.steward_mediation) {
  stewarded_.assign(pop.stairwells(), 0);
  if (s.organisation.levels == 4)
    for (std::uint32_t st = 0; st < pop.stairwells(); ++st)
      stewarded_[st] = Stream(key, kStewards, st, 0).bernoulli(s.organisation.steward_share);
}

bool Stewards::mediates(NeedRef ref, const Need& need, Channel channel,
                        const OrderTypes& types) const {
  // A steward settles a minor quarrel between neighbours in their stairwell there and then.
  return channel == kSteward && need.type == types.dispute_type && need.severity == 0 &&
         Stream(key_, kNeedDraws, need_entity(ref.grid, ref.index), 1).uniform() < mediation_;
}

}  // namespace commsim::model
