#pragma once
// The stop signals of the long commands (sweep, calibrate): SIGINT and SIGTERM go to the
// command's handler while it works, and back to their defaults however the work ends.

#include <csignal>

namespace commsim::cli {

// Installs `handler` for SIGINT and SIGTERM, and restores the defaults however the work ends.
struct StopSignals {
  explicit StopSignals(void (*handler)(int)) {
    std::signal(SIGINT, handler);
    std::signal(SIGTERM, handler);
  }
  ~StopSignals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
};

}  // namespace commsim::cli
