#pragma once
// Counter-based random numbers (Random123 Philox4x64-10).
//
// A draw is an address, not a state: the k-th number of stream (seed, run, entity, day, purpose)
// is a pure function of those six values. So results never depend on thread count or on the
// order grids are processed, and a mechanism added later never shifts another's numbers. Two
// policy arms run with the same seed see the same draws wherever the policy does not change
// what is drawn (common random numbers).

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <string_view>

namespace commsim {

// A mechanism's purpose tag: a compile-time hash of its name ("needs.arrival"), so no central
// enum must be edited (and no existing tag renumbered) when a mechanism is added.
struct Purpose {
  std::uint64_t value;
};

constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// A 64-bit hash as 16 lower-case hex digits: fingerprints and digests in files and messages.
inline std::string hex64(std::uint64_t h) {
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4)
    text[static_cast<std::size_t>(i)] = "0123456789abcdef"[h & 15];
  return text;
}

constexpr Purpose purpose(std::string_view name) {
  return Purpose{fnv1a64(name)};
}

// SplitMix64 finaliser: a bijective, well-mixing 64-bit hash.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Seeds are derived by hashing, never by adding: with addition, (seed 1, run 0) and
// (seed 0, run 1) would share a stream.
constexpr std::uint64_t derive_seed(std::uint64_t a, std::uint64_t b) {
  return mix64(mix64(a) ^ (b * 0xd1b54a32d192ed03ull + 0x8cb92ba72f3d8dd7ull));
}
constexpr std::uint64_t derive_seed(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return derive_seed(derive_seed(a, b), c);
}

// Where a stream lives: the run's seed and index; per-draw addresses add entity, day, purpose.
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t run = 0;
};

// The numbers of one (seed, run, entity, day, purpose) address, drawn in order. A Stream is a
// cheap value (a few words) made on the stack where it is used; it is never shared.
class Stream {
 public:
  Stream(StreamKey key, Purpose purpose, std::uint64_t entity, std::int64_t day)
      : key_{{key.seed, key.run}},
        ctr_{{entity, static_cast<std::uint64_t>(day), purpose.value, 0}} {}

  std::uint64_t next_u64() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe for log().
  double uniform_pos() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer on [0, n) without modulo bias (Lemire's multiply-shift).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<u128>(next_u64()) * n) >> 64);
  }
  bool bernoulli(double p) { return uniform() < p; }
  double exponential(double rate) { return -std::log(uniform_pos()) / rate; }
  // Box-Muller without a cached second value, so a draw's meaning never depends on history.
  double normal(double mean = 0.0, double sd = 1.0) {
    const double r = std::sqrt(-2.0 * std::log(uniform_pos()));
    return mean + sd * r * std::cos(2.0 * std::numbers::pi * uniform());
  }
  double lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }
  std::int64_t poisson(double mean);
  // Index drawn with probability proportional to weights (weights need not sum to 1).
  std::size_t categorical(std::span<const double> weights);

 private:
  void refill() {
    block_ = philox_(ctr_, key_);
    ctr_.v[3] += 1;
    used_ = 0;
  }
  using Philox = r123::Philox4x64;
  Philox philox_{};
  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type block_{};
  int used_ = 4;
};

}  // namespace commsim
