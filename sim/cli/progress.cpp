#include "sim/cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace commsim::cli {

namespace {

constexpr double kDefaultEverySeconds = 30;

double parse_seconds(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const double s = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(s) || s <= 0)
    throw UsageError(where + ": expected a number of seconds > 0, got '" + text + "'");
  return s;
}

}  // namespace

double default_progress_every() {
  const char* env = std::getenv("COMMSIM_PROGRESS_EVERY");
  return env && *env ? parse_seconds(env, "COMMSIM_PROGRESS_EVERY") : kDefaultEverySeconds;
}

double progress_every(const Args& args) {
  if (const auto v = args.value("--progress-every")) return parse_seconds(*v, "--progress-every");
  return default_progress_every();
}

std::string format_duration(double seconds) {
  char text[32];
  if (seconds < 60) {
    std::snprintf(text, sizeof text, "%.1fs", seconds);
  } else if (seconds < 3600) {
    const auto s = static_cast<long long>(std::lround(seconds));
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  } else {
    const auto m = static_cast<long long>(std::lround(seconds / 60));
    std::snprintf(text, sizeof text, "%lldh%02lldm", m / 60, m % 60);
  }
  return text;
}

ProgressBar::ProgressBar(std::string unit, bool enabled, double every)
    : unit_(std::move(unit)),
      tty_(enabled && isatty(fileno(stderr)) != 0),
      log_(enabled && !tty_),
      every_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(every))),
      start_(Clock::now()),
      first_update_(start_),
      last_draw_(start_) {
  if (log_) log_thread_ = std::thread([this] { write_log_lines(); });
}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::int64_t done, std::int64_t total, const std::string& extra) {
  if (!tty_ && !log_) return;
  const auto now = Clock::now();
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  if (first_done_ < 0) {
    first_done_ = done;
    first_update_ = now;
  }
  done_ = done;
  total_ = total;
  extra_ = extra;
  if (tty_) draw_bar(now);
}

std::string ProgressBar::line(Clock::time_point now) const {
  const double since_first = std::chrono::duration<double>(now - first_update_).count();
  const double rate =
      since_first > 0 ? static_cast<double>(done_ - first_done_) / since_first : 0.0;
  char text[160];
  // Percent rounded down: 359 of 360 is 99%, not 100%.
  int n = std::snprintf(text, sizeof text, "%lld/%lld %s (%lld%%)", static_cast<long long>(done_),
                        static_cast<long long>(total_), unit_.c_str(),
                        static_cast<long long>(100 * done_ / total_));
  const auto append = [&](const char* format, auto... values) {
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof text)
      n += std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), format, values...);
  };
  // Rates of ten or more a second read best per second (days), slower ones per minute (runs).
  if (rate >= 10)
    append(", %.0f %s/s", rate, unit_.c_str());
  else if (rate > 0)
    append(", %.1f %s/min", rate * 60, unit_.c_str());
  append(", elapsed %s",
         format_duration(std::chrono::duration<double>(now - start_).count()).c_str());
  if (done_ < total_)
    append(", ETA %s",
           rate > 0 ? format_duration(static_cast<double>(total_ - done_) / rate).c_str() : "-");
  std::string out = text;
  if (!extra_.empty()) out += ", " + extra_;
  return out;
}

void ProgressBar::draw_bar(Clock::time_point now) {
  // Redraw at most ten times a second, and always at the end.
  if (total_ <= 0) return;
  if (done_ < total_ && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr std::int64_t kWidth = 30;
  const auto filled =
      static_cast<std::size_t>(kWidth * std::clamp<std::int64_t>(done_, 0, total_) / total_);
  std::string bar(filled, '#');
  bar.append(static_cast<std::size_t>(kWidth) - filled, '-');
  std::fprintf(stderr, "\r[%s] %s\033[K", bar.c_str(), line(now).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::write_log_lines() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, every_, [this] { return stopping_; })) return;
    if (total_ <= 0) continue;
    std::fprintf(stderr, "commsim: %s\n", line(Clock::now()).c_str());
    std::fflush(stderr);
    logged_ = true;
  }
}

void ProgressBar::finish() {
  {
    const std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (log_thread_.joinable()) log_thread_.join();
  const std::lock_guard lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
  // A log that had progress lines gets the last state too: done, or where it stopped.
  if (logged_ && total_ > 0) std::fprintf(stderr, "commsim: %s\n", line(Clock::now()).c_str());
}

}  // namespace commsim::cli
