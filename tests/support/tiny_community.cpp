#include "support/tiny_community.hpp"

#include <stdexcept>

#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::test {

TinyCommunity tiny_community(const std::vector<std::string>& overrides,
                             const TinyOptions& options) {
  TinyCommunity c;
  c.s = options.baseline
            ? scenario::load_scenario(source_dir() / "scenarios/baseline.yaml", overrides).scenario
            : scenario::load_scenario_text(options.yaml, "s.yaml", overrides).scenario;
  c.world = engine::build_world(c.s, options.key);
  return c;
}

std::uint16_t TinyCommunity::type(const std::string& name) const {
  for (std::size_t t = 0; t < world->need_types.size(); ++t)
    if (world->need_types[t] == name) return static_cast<std::uint16_t>(t);
  throw std::runtime_error("no need type " + name);
}

std::uint32_t TinyCommunity::add_need(std::uint32_t g, std::uint16_t type, std::uint32_t place,
                                      std::uint32_t resident, std::uint8_t severity,
                                      std::int32_t day) {
  auto& orders = world->orders.grids[g];
  model::Need need;
  need.resident = resident;
  need.place = place;
  need.type = type;
  need.severity = severity;
  need.day_arisen = day;
  const auto i = static_cast<std::uint32_t>(orders.log.size());
  orders.log.push_back(need);
  orders.unreported.push_back(i);
  return i;
}

void TinyCommunity::open_order(std::uint32_t g, std::uint32_t i, std::uint8_t channel, Day d,
                               double at) {
  if (!world->orders.open({g, i}, static_cast<model::Channel>(channel), d, at,
                          world->recorder.grid_row(GridId(g))))
    throw std::runtime_error("open_order: the need is not hidden");
  world->orders.grids[g].waiting.push_back(i);
}

void TinyCommunity::grid_day(GridId g, Day d) {
  engine::run_grid_steps(*world, g, {d, world->key}, false);
}

double TinyCommunity::total(const std::string& name) const {
  double sum = 0;
  for (const auto& m : world->recorder.timeseries())
    if (m.name == name)
      for (double v : m.values) sum += v;
  return sum;
}

}  // namespace commsim::test
