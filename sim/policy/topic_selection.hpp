#pragma once
// Which candidate topics go on a meeting's agenda (`topics.selection`): the agenda takes the
// first `topics.per_meeting` candidates in the rule's order.
//   most_raised - raised by the most attendees (residents raise the topic [001])
//   most_severe - the most serious shared problem first
//   oldest      - first raised, first served
// Adding a rule = one comparison + one line in the table in topic_selection.cpp + one test.

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/policy/registry.hpp"

namespace commsim::policy {

// What a rule may read about a candidate topic.
struct TopicKey {
  std::uint32_t raised = 0;  // attendees who raised it since it was last deliberated
  std::uint8_t severity = 0;
  std::int32_t day_raised = 0;
  std::uint32_t id = 0;  // final tie-break: the topic's index
};

// True when a goes on the agenda before b (a strict weak order).
using TopicOrder = bool (*)(const TopicKey& a, const TopicKey& b);

// The registered topic orders, in the order of the table in topic_selection.cpp.
enum class TopicSelection : std::uint8_t { MostRaised, MostSevere, Oldest };

struct NamedTopicOrder {
  TopicSelection id;
  std::string_view name;
  TopicOrder fn;
  std::string_view doc;
};

std::span<const NamedTopicOrder> topic_orders();
TopicOrder topic_order(TopicSelection id);  // the rule registered under `id`
TopicOrder find_topic_order(std::string_view name);

}  // namespace commsim::policy
