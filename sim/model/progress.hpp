#pragma once
// Loops that must move forward. A mechanism's loop whose turns are bounded by what it works on
// (orders waiting, workers, rounds) counts its turns against that bound; passing it means the loop
// has stopped moving forward, which is a bug, not a long day: it is an internal error naming the
// mechanism (the day loop adds the step, day and grid), never a hang.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace commsim::model {

struct NoProgress : std::logic_error {
  using std::logic_error::logic_error;
};

class Progress {
 public:
  Progress(const char* mechanism, std::uint64_t bound) : mechanism_(mechanism), bound_(bound) {}
  void turn() {
    if (++turns_ > bound_) stalled();
  }

 private:
  [[noreturn]] void stalled() const {
    throw NoProgress(std::string(mechanism_) + ": no progress after " + std::to_string(turns_ - 1) +
                     " turns of a loop bounded by " + std::to_string(bound_));
  }
  const char* mechanism_;
  std::uint64_t bound_;
  std::uint64_t turns_ = 0;
};

}  // namespace commsim::model
