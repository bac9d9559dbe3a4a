// Topic selection: each rule orders candidates as documented, with the topic id as the final
// tie-break (so the agenda never depends on container order).

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/policy/topic_selection.hpp"

namespace commsim::policy {
namespace {

std::vector<std::uint32_t> order(std::string_view rule) {
  std::vector<TopicKey> t = {{3, 0, 10, 0}, {5, 1, 20, 1}, {5, 2, 30, 2}, {1, 2, 5, 3}};
  std::sort(t.begin(), t.end(), find_topic_order(rule));
  std::vector<std::uint32_t> ids;
  for (const auto& k : t) ids.push_back(k.id);
  return ids;
}

TEST(TopicSelection, RulesOrderAsDocumented) {
  EXPECT_EQ(order("most_raised"), (std::vector<std::uint32_t>{1, 2, 0, 3}));
  EXPECT_EQ(order("most_severe"), (std::vector<std::uint32_t>{2, 3, 1, 0}));
  EXPECT_EQ(order("oldest"), (std::vector<std::uint32_t>{3, 0, 1, 2}));
  EXPECT_THROW(find_topic_order("loudest"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
