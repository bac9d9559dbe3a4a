#pragma once
// A small community built by the engine's own builder (engine::build_world), for tests of one
// mechanism: the same world a run has, in the same order, from a short scenario and overrides.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/day_plan.hpp"
#include "sim/engine/world.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::test {

// 900 households in three grids of 300 (the defaults for everything else).
inline constexpr const char* kTinyCommunity =
    "community: {households: 900, households_per_grid: 300}\n";

struct TinyOptions {
  std::string yaml = kTinyCommunity;  // the scenario text (loaded with every default filled in)
  bool baseline = false;              // scenarios/baseline.yaml instead of `yaml`
  StreamKey key{7, 0};
};

struct TinyCommunity {
  scenario::Scenario s;
  std::unique_ptr<engine::World> world;

  engine::World* operator->() const { return world.get(); }
  engine::World& operator*() const { return *world; }
  // Index of the need type called `name` (throws if there is none).
  std::uint16_t type(const std::string& name) const;
  // Appends a need of `type` at `place` (by the type's scope), raised by `resident`, arisen on
  // `day` and still hidden, to grid g's table; returns its index.
  std::uint32_t add_need(std::uint32_t g, std::uint16_t type, std::uint32_t place,
                         std::uint32_t resident, std::uint8_t severity = 0, std::int32_t day = 0);
  // Opens need i of grid g as a work order reported through `channel` at grid clock hours `at`
  // and puts it in the grid's queue.
  void open_order(std::uint32_t g, std::uint32_t i, std::uint8_t channel, Day d, double at);
  // The grid steps of day d for grid g (without needs arising, so a test's needs are the only
  // ones); the day's values stay in the recorder's rows until end_day.
  void grid_day(GridId g, Day d);
  // The sum over days and cells of the time series `name` recorded so far.
  double total(const std::string& name) const;
};

TinyCommunity tiny_community(const std::vector<std::string>& overrides = {},
                             const TinyOptions& options = {});

}  // namespace commsim::test
