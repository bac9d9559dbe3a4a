#pragma once
// A progress bar with ETA on stderr, drawn only when stderr is a terminal.

#include <chrono>
#include <cstdint>
#include <string>

namespace commsim::cli {

class ProgressBar {
 public:
  // unit: what is counted ("days", "runs"); enabled: false for --quiet.
  ProgressBar(std::string unit, bool enabled);
  ~ProgressBar();
  void update(std::int64_t done, std::int64_t total, const std::string& extra = {});
  void finish();  // clears the bar's line

 private:
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace commsim::cli
