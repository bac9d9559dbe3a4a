#pragma once
// Parallel loops over grids with oneTBB. Each iteration must touch only its own grid's slice
// of state, so the result is the same for any thread count or schedule.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <memory>

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
