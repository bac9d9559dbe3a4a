#pragma once
// Parallel loops over grids with oneTBB. Each iteration must touch only its own grid's slice
// of state, so the result is the same for any thread count or schedule.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace commsim {

class Executor {
 public:
  // threads <= 0: all cores.
  explicit Executor(int threads = 0)
      : arena_(threads > 0 ? std::make_unique<oneapi::tbb::task_arena>(threads)
                           : std::make_unique<oneapi::tbb::task_arena>()) {}

  int threads() const { return arena_->max_concurrency(); }

  // Calls body(i) for every i in [0, n), in parallel. One index per task: a grid's daily work
  // is large enough to amortise scheduling, and uneven grids balance by work stealing.
  template <class Body>
  void for_each(std::size_t n, const Body& body) const {
#if COMMSIM_STD_THREAD_EXECUTOR
    // ThreadSanitizer builds only (see CMakeLists.txt): the same work on instrumented threads.
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) body(i);
    };
    std::vector<std::jthread> helpers;
    for (int t = 1; t < threads(); ++t) helpers.emplace_back(work);
    work();
    return;
#endif
    arena_->execute([&] {
      oneapi::tbb::parallel_for(
          oneapi::tbb::blocked_range<std::size_t>(0, n, 1),
          [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
          },
          oneapi::tbb::simple_partitioner{});
    });
  }

  // Runs f inside this executor's arena (for nested parallel work, e.g. sweeps).
  template <class F>
  decltype(auto) execute(F&& f) const {
    return arena_->execute(std::forward<F>(f));
  }

 private:
  std::unique_ptr<oneapi::tbb::task_arena> arena_;
};

}  // namespace commsim
