#include "sim/policy/queue_priority.hpp"

namespace commsim::policy {

namespace {

bool fcfs(const OrderKey& a, const OrderKey& b) {
  if (a.reported_at != b.reported_at) return a.reported_at < b.reported_at;
  return a.id < b.id;
}
bool severity_first(const OrderKey& a, const OrderKey& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  return fcfs(a, b);
}
bool vulnerable_first(const OrderKey& a, const OrderKey& b) {
  if (a.vulnerable != b.vulnerable) return a.vulnerable > b.vulnerable;
  return fcfs(a, b);
}

constexpr NamedOrderPriority kPriorities[] = {
    {QueuePriority::Fcfs, "fcfs", fcfs, "first reported, first served"},
    {QueuePriority::SeverityFirst, "severity_first", severity_first,
     "most serious first, then first reported"},
    {QueuePriority::VulnerableFirst, "vulnerable_first", vulnerable_first,
     "elderly or low-proficiency residents first, then first reported"},
};
static_assert(ids_in_order(kPriorities));

}  // namespace

std::span<const NamedOrderPriority> queue_priorities() {
  return kPriorities;
}
OrderPriority queue_priority(QueuePriority id) {
  return policy_fn(queue_priorities(), id);
}
OrderPriority find_queue_priority(std::string_view name) {
  return find_policy(queue_priorities(), name, "queue priority");
}

}  // namespace commsim::policy
