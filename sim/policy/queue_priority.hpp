#pragma once
// Which waiting work order a free grid worker takes next (`casework.queue_priority`):
//   fcfs             - first reported, first served (the queueing-theory reference)
//   severity_first   - the most serious waiting order first, then fcfs
//   vulnerable_first - orders of elderly or low-proficiency residents first, then fcfs
// Only orders already reported by the time the worker is free are candidates. Adding a rule =
// one comparison + one line in the table in queue_priority.cpp + one test.

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/policy/registry.hpp"

namespace commsim::policy {

// What a rule may read about a waiting work order.
struct OrderKey {
  double reported_at = 0;  // working hours on the grid's clock
  std::uint8_t severity = 0;
  std::uint8_t vulnerable = 0;  // elderly or low proficiency in the common language
  std::uint32_t id = 0;         // final tie-break: the need's index in the grid log
};

// True when a is served before b (a strict weak order).
using OrderPriority = bool (*)(const OrderKey& a, const OrderKey& b);

// The registered order prioritys, in the order of the table in queue_priority.cpp.
enum class QueuePriority : std::uint8_t { Fcfs, SeverityFirst, VulnerableFirst };

struct NamedOrderPriority {
  QueuePriority id;
  std::string_view name;
  OrderPriority fn;
  std::string_view doc;
};

std::span<const NamedOrderPriority> queue_priorities();
OrderPriority queue_priority(QueuePriority id);  // the rule registered under `id`
OrderPriority find_queue_priority(std::string_view name);

}  // namespace commsim::policy
