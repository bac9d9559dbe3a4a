#pragma once
// Progress on stderr, for people and for logs. On a terminal: a bar with rate and ETA, redrawn in
// place. Otherwise (a log file, mpirun's forwarded output, a Slurm job): one line every few
// seconds with done/total, rate, elapsed time and ETA, and a last line at the end, so a cluster
// log shows how far a job lasting hours has got. Under mpirun only rank 0 makes one: it counts
// the finished runs of every rank.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "sim/cli/args.hpp"

namespace commsim::cli {

// Seconds between log lines when --progress-every is not given: COMMSIM_PROGRESS_EVERY, else 30.
double default_progress_every();
// --progress-every SECONDS (> 0, fractions allowed), else default_progress_every().
double progress_every(const Args& args);
// The option, for the commands that report progress.
inline const OptionSpec kProgressEveryOption{"--progress-every", "", true, false};

// "3.2s", "4m05s", "2h07m".
std::string format_duration(double seconds);

class ProgressBar {
 public:
  // unit: what is counted ("days", "runs"); enabled: false for --quiet; every: seconds between
  // log lines when stderr is not a terminal.
  ProgressBar(std::string unit, bool enabled, double every = default_progress_every());
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The rate counts from the first update's `done`, so a resumed sweep's ETA is not fooled by
  // the runs it found already done. `extra` is appended to the line (e.g. a calibration's loss).
  void update(std::int64_t done, std::int64_t total, const std::string& extra = {});
  // Clears the bar's line (terminal) or writes the last line (log; only if one was written).
  // Idempotent; the destructor calls it.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::string line(Clock::time_point now) const;  // under mutex_
  void draw_bar(Clock::time_point now);           // under mutex_
  void write_log_lines();                         // the log thread

  std::string unit_;
  bool tty_ = false;  // draw the bar
  bool log_ = false;  // write periodic lines
  Clock::duration every_;
  Clock::time_point start_;
  Clock::time_point first_update_;
  Clock::time_point last_draw_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;   // a bar is on screen
  bool logged_ = false;  // a log line was written
  bool finished_ = false;
  std::int64_t first_done_ = -1;
  std::int64_t done_ = 0;
  std::int64_t total_ = 0;
  std::string extra_;
  std::thread log_thread_;
};

}  // namespace commsim::cli
