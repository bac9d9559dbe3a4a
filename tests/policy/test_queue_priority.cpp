// Queue priority: each rule orders waiting work orders as documented, with the need's index as
// the final tie-break.

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/policy/queue_priority.hpp"

namespace commsim::policy {
namespace {

std::vector<std::uint32_t> order(std::string_view rule) {
  std::vector<OrderKey> k = {{1.0, 0, 1, 0}, {0.5, 2, 0, 1}, {2.0, 2, 1, 2}, {0.5, 1, 0, 3}};
  std::sort(k.begin(), k.end(), find_queue_priority(rule));
  std::vector<std::uint32_t> ids;
  for (const auto& o : k) ids.push_back(o.id);
  return ids;
}

TEST(QueuePriority, RulesOrderAsDocumented) {
  EXPECT_EQ(order("fcfs"), (std::vector<std::uint32_t>{1, 3, 0, 2}));
  EXPECT_EQ(order("severity_first"), (std::vector<std::uint32_t>{1, 2, 3, 0}));
  EXPECT_EQ(order("vulnerable_first"), (std::vector<std::uint32_t>{0, 2, 1, 3}));
  EXPECT_THROW(find_queue_priority("loudest"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
