#include "sim/policy/topic_selection.hpp"

namespace commsim::policy {

namespace {

bool most_raised(const TopicKey& a, const TopicKey& b) {
  if (a.raised != b.raised) return a.raised > b.raised;
  return a.id < b.id;
}
bool most_severe(const TopicKey& a, const TopicKey& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  return most_raised(a, b);
}
bool oldest(const TopicKey& a, const TopicKey& b) {
  if (a.day_raised != b.day_raised) return a.day_raised < b.day_raised;
  return a.id < b.id;
}

constexpr NamedTopicOrder kOrders[] = {
    {TopicSelection::MostRaised, "most_raised", most_raised, "raised by the most attendees first"},
    {TopicSelection::MostSevere, "most_severe", most_severe,
     "most serious first, then most raised"},
    {TopicSelection::Oldest, "oldest", oldest, "first raised first"},
};
static_assert(ids_in_order(kOrders));

}  // namespace

std::span<const NamedTopicOrder> topic_orders() {
  return kOrders;
}
TopicOrder topic_order(TopicSelection id) {
  return policy_fn(topic_orders(), id);
}
TopicOrder find_topic_order(std::string_view name) {
  return find_policy(topic_orders(), name, "topic selection");
}

}  // namespace commsim::policy
