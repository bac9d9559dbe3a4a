// Calibration (ABC-SMC): the method's pieces against hand computations, the calibration file's
// errors, and `commsim calibrate` end to end: the same posterior on 1 and 2 threads, 2 MPI ranks
// and after a resume from SIGKILL; a changed file refused on resume; the posterior of the M/M/c
// queue's arrival rate against the numerical posterior from Erlang C.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <thread>

#include "sim/experiment/calibration.hpp"
#include "sim/output/hdf5.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

namespace h5 = output::h5;
namespace ex = experiment;

// ---- The method's pieces -----------------------------------------------------------------------

ex::CalibrationParameter parameter(ex::Prior prior, double lo, double hi, double mean = 0,
                                   double sd = 0) {
  ex::CalibrationParameter p;
  p.key = "x";
  p.prior = prior;
  p.min = lo;
  p.max = hi;
  p.mean = mean;
  p.sd = sd;
  return p;
}

TEST(Calibration, PriorsAreNormalisedDensitiesAndSampleWithinTheirBounds) {
  for (const auto& p :
       {parameter(ex::Prior::Uniform, 1, 3), parameter(ex::Prior::LogUniform, 0.1, 10),
        parameter(ex::Prior::TruncatedNormal, 0, 1, 0.2, 0.3),
        parameter(ex::Prior::TruncatedNormal, 0, 10, 5, 1)}) {
    // The density integrates to 1 over the working coordinate (midpoint rule).
    const double lo = p.to_work(p.min), hi = p.to_work(p.max);
    const int n = 20000;
    double integral = 0;
    for (int i = 0; i < n; ++i)
      integral += std::exp(p.log_prior(lo + (i + 0.5) * (hi - lo) / n)) * (hi - lo) / n;
    EXPECT_NEAR(integral, 1.0, 1e-4) << ex::prior_name(p.prior);
    EXPECT_EQ(p.log_prior(hi + 1e-9), -std::numeric_limits<double>::infinity());
    // Samples: inside the bounds, with the density's mean.
    double analytic = 0;
    for (int i = 0; i < n; ++i) {
      const double z = lo + (i + 0.5) * (hi - lo) / n;
      analytic += z * std::exp(p.log_prior(z)) * (hi - lo) / n;
    }
    double mean = 0, var = 0;
    const int draws = 20000;
    for (int i = 0; i < draws; ++i) {
      Stream s({1, 2}, purpose("test.prior"), static_cast<std::uint64_t>(i), 0);
      const double z = p.sample(s);
      ASSERT_GE(z, lo);
      ASSERT_LE(z, hi);
      mean += z / draws;
      var += z * z / draws;
    }
    var -= mean * mean;
    EXPECT_NEAR(mean, analytic, 4 * std::sqrt(var / draws)) << ex::prior_name(p.prior);
  }
}

TEST(Calibration, QuantileEssAndDistance) {
  const std::vector<double> v = {5, 1, 3, 2, 4};
  EXPECT_EQ(ex::weighted_quantile(v, {0.2, 0.2, 0.2, 0.2, 0.2}, 0.5), 3);
  EXPECT_EQ(ex::weighted_quantile(v, {0.7, 0.1, 0.1, 0.05, 0.05}, 0.5), 5);
  EXPECT_EQ(ex::weighted_quantile(v, {0.2, 0.2, 0.2, 0.2, 0.2}, 0.2), 1);
  EXPECT_DOUBLE_EQ(ex::effective_sample_size({0.25, 0.25, 0.25, 0.25}), 4);
  EXPECT_DOUBLE_EQ(ex::effective_sample_size({0.5, 0.5, 0, 0}), 2);
  ex::Calibration c;
  c.targets.resize(2);
  c.targets[0].observed = 1;
  c.targets[0].scale = 0.5;
  c.targets[1].observed = 10;
  c.targets[1].scale = 2;
  EXPECT_DOUBLE_EQ(ex::target_distance(c, {2, 16}), std::sqrt(13.0));  // (2, 3) scaled
}

TEST(Calibration, KernelIsTwiceTheWeightedCovarianceAndWeightsFollowBeaumont) {
  ex::Calibration c;
  c.parameters = {parameter(ex::Prior::Uniform, -100, 100),
                  parameter(ex::Prior::Uniform, -100, 100)};
  ex::Population prev;
  prev.z = {1, 2, 3, 2, 5, 8};  // three particles in 2-D
  prev.weights = {0.5, 0.25, 0.25};
  const ex::Kernel kernel(prev, 2);
  // Weighted means (2.5, 3.5); covariance by hand.
  const double mx = 2.5, my = 3.5;
  double sxx = 0, sxy = 0, syy = 0;
  for (int i = 0; i < 3; ++i) {
    const double dx = prev.z[2 * i] - mx, dy = prev.z[2 * i + 1] - my;
    sxx += prev.weights[i] * dx * dx;
    sxy += prev.weights[i] * dx * dy;
    syy += prev.weights[i] * dy * dy;
  }
  EXPECT_NEAR(kernel.covariance()[0], 2 * sxx, 1e-12);
  EXPECT_NEAR(kernel.covariance()[1], 2 * sxy, 1e-12);
  EXPECT_NEAR(kernel.covariance()[3], 2 * syy, 1e-12);
  // The mixture density against the formula with the inverse of the 2x2 covariance.
  const double a = 2 * sxx, b = 2 * sxy, d = 2 * syy, det = a * d - b * b;
  const std::vector<double> z = {2, 4};
  double expected = 0;
  for (int i = 0; i < 3; ++i) {
    const double dx = z[0] - prev.z[2 * i], dy = z[1] - prev.z[2 * i + 1];
    expected +=
        prev.weights[i] * std::exp(-0.5 * (d * dx * dx - 2 * b * dx * dy + a * dy * dy) / det);
  }
  EXPECT_NEAR(kernel.mixture_density(z.data()), expected, 1e-12);
  // Weights: uniform prior / mixture density, normalised.
  const std::vector<double> accepted = {2, 4, 3, 3};
  const auto w = ex::importance_weights(c, accepted, &kernel);
  const double k0 = kernel.mixture_density(&accepted[0]), k1 = kernel.mixture_density(&accepted[2]);
  EXPECT_NEAR(w[0], (1 / k0) / (1 / k0 + 1 / k1), 1e-12);
  EXPECT_NEAR(w[0] + w[1], 1, 1e-15);
  // Proposals: centred on the population, with its variance plus the kernel's (3 x sxx).
  double mean_x = 0, var_x = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Stream s({3, 1}, purpose("test.kernel"), static_cast<std::uint64_t>(i), 0);
    const auto p = kernel.propose(c, s);
    mean_x += p[0] / n;
    var_x += (p[0] - mx) * (p[0] - mx) / n;
  }
  EXPECT_NEAR(mean_x, mx, 4 * std::sqrt(3 * sxx / n));
  EXPECT_NEAR(var_x, 3 * sxx, 0.05 * 3 * sxx);
  // Bounded priors: every proposal inside.
  c.parameters[0].min = 0;
  for (int i = 0; i < 2000; ++i) {
    Stream s({3, 1}, purpose("test.kernel"), static_cast<std::uint64_t>(i), 0);
    ASSERT_GE(kernel.propose(c, s)[0], 0);
  }
}

// ---- The calibration file ----------------------------------------------------------------------

std::string erlang_path() {
  return (source_dir() / "scenarios/validation/erlang_c.yaml").string();
}

// One grid of the M/M/2 queue of scenarios/validation/erlang_c.yaml: a run of 200 days takes
// about 0.03 s. The arrival rate (needs per resident and year) is fitted.
std::string queue_calibration(const std::string& rest, int days = 200) {
  return "base: " + erlang_path() + "\nset:\n  run.days: " + std::to_string(days) +
         "\n  community.households: 420\n  community.households_per_grid: 420\n"
         "parameters:\n  needs.types.0.rate: {prior: uniform, min: 2, max: 7}\n" +
         rest;
}

const char* kQueueTargets =
    "targets:\n"
    "  - {metric: casework_wait_hours_mean, observed: 1.0, scale: 0.15, source: synthetic}\n"
    "  - {metric: casework_waited_share, observed: 0.6, scale: 0.04, source: synthetic}\n";

TEST(CalibrationFile, ErrorsNameFileLineAndKeyAndExitWith2) {
  TempDir dir;
  const auto check = [&](const std::string& text, const std::string& expected) {
    write_file(dir / "bad.yaml", text);
    const auto r =
        run_commsim({"calibrate", (dir / "bad.yaml").string(), "-o", (dir / "out.h5").string()});
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_NE(r.err.find(expected), std::string::npos)
        << "expected: " << expected << "\ngot: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.h5"));
  };
  const std::string ok = "population: 10\ngenerations: 2\n";
  check(queue_calibration(ok + "populaton: 3\n" + kQueueTargets),
        "bad.yaml:10:1: populaton: unknown key (did you mean 'population'?)");
  check(queue_calibration(kQueueTargets), "population: required key is missing");
  check("base: " + erlang_path() + "\n" + ok +
            "parameters:\n  needs.types.0.rat: {prior: uniform, min: 1, max: 2}\n" + kQueueTargets,
        "bad.yaml:5:3: needs.types.0.rat: no scenario key 'rat'");
  check("base: " + erlang_path() + "\n" + ok +
            "parameters:\n  needs.types.0.rate: {prior: unifrom, min: 1, max: 2}\n" + kQueueTargets,
        "bad.yaml:5:31: parameters.needs.types.0.rate.prior: expected uniform, log_uniform or "
        "truncated_normal (did you mean 'uniform'?)");
  check("base: " + erlang_path() + "\n" + ok +
            "parameters:\n  community.low_income_share: {prior: uniform, min: 0, max: 1.5}\n" +
            kQueueTargets,
        "bad.yaml:5:61: parameters.community.low_income_share.max: outside the scenario key's "
        "range [0, 1]");
  check("base: " + erlang_path() + "\n" + ok +
            "parameters:\n  needs.types.0.rate: {prior: log_uniform, min: 0, max: 2}\n" +
            kQueueTargets,
        "parameters.needs.types.0.rate.min: a log_uniform prior needs min > 0");
  check(queue_calibration(ok + "targets:\n  - {metric: closure_rate, observed: 0.9, source: x}\n"),
        "bad.yaml:11:5: targets[0].scale: required");
  check(queue_calibration(ok + "targets:\n  - {metric: closure_rate, observed: 0.9, scale: 1}\n"),
        "targets[0].source: required key is missing");
  check(queue_calibration(ok + "targets:\n  - {metric: closure_rat, observed: 0.9, scale: 1, "
                               "source: x}\n"),
        "bad.yaml:11:5: targets.metric: the run writes no summary 'closure_rat' (did you mean "
        "'closure_rate'?)");
  check(queue_calibration(ok + "targets:\n  - {metric: resolved_share_by_level, cell: {level: "
                               "gird}, observed: 0.9, scale: 1, source: x}\n"),
        "targets.cell.level: no label 'gird' on axis 'level' (did you mean 'grid'?)");
}

// ---- End to end --------------------------------------------------------------------------------

// Every dataset of a posterior file but the provenance, by path: the posterior's content.
std::map<std::string, std::vector<double>> posterior_datasets(const std::filesystem::path& file) {
  std::map<std::string, std::vector<double>> out;
  const auto f = h5::open_file(file);
  for (const std::string group : {"calibration", "generations", "posterior", "predictive"}) {
    const auto g = h5::open_group(f, group);
    for (const auto& name : h5::children(g)) {
      if (name.size() == 4 && name[0] == 'g' && std::isdigit(name[1])) {  // a generation
        const auto sub = h5::open_group(g, name);
        for (const auto& d : h5::children(sub))
          out[group + "/" + name + "/" + d] = output::read_summary(sub, d).values;
        out[group + "/" + name + "/tolerance"] = {h5::read_attribute<double>(sub, "tolerance")};
      } else {
        out[group + "/" + name] = output::read_summary(g, name).values;
      }
    }
  }
  return out;
}

::testing::AssertionResult same_posterior(const std::filesystem::path& a,
                                          const std::filesystem::path& b) {
  const auto x = posterior_datasets(a), y = posterior_datasets(b);
  if (x.size() != y.size()) return ::testing::AssertionFailure() << "different datasets";
  for (const auto& [name, v] : x) {
    const auto& w = y.at(name);
    if (v.size() != w.size() ||
        (!v.empty() && std::memcmp(v.data(), w.data(), v.size() * sizeof(double)) != 0))
      return ::testing::AssertionFailure() << name << " differs";
  }
  return ::testing::AssertionSuccess() << x.size() << " datasets identical";
}

std::vector<double> dataset(const std::filesystem::path& file, const std::string& group,
                            const std::string& name) {
  const auto f = h5::open_file(file);
  return output::read_summary(h5::open_group(f, group), name).values;
}

bool mpirun_available() {
  return std::system("command -v mpirun > /dev/null 2>&1") == 0;
}

const char* kSmall = "population: 24\ngenerations: 3\nquantile: 0.5\npredictive: 6\nseed: 5\n";

// Named Determinism so the ThreadSanitizer build runs it (scripts/test).
TEST(Determinism, CalibrationIsIdenticalOnOneAndTwoThreadsAndTwoMpiRanks) {
  TempDir dir;
  write_file(dir / "c.yaml", queue_calibration(std::string(kSmall) + kQueueTargets, 100));
  const auto file = (dir / "c.yaml").string();
  const auto one = dir / "one.h5", two = dir / "two.h5";
  auto r = run_commsim({"calibrate", file, "-o", one.string(), "-q", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_commsim({"calibrate", file, "-o", two.string(), "-q", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(same_posterior(one, two));
  EXPECT_FALSE(std::filesystem::exists(dir / "one.h5.partial")) << "the store is removed";
  // The tolerance falls from generation to generation, and the weights sum to 1.
  const auto tol = dataset(one, "generations", "tolerance");
  ASSERT_EQ(tol.size(), 3u);
  EXPECT_TRUE(std::isinf(tol[0]));
  EXPECT_LT(tol[2], tol[1]);
  const auto w = dataset(one, "posterior", "weights");
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-12);
  EXPECT_EQ(dataset(one, "predictive", "targets").size(), 12u);

  if (!mpirun_available()) {
    if (std::getenv("CI") != nullptr) FAIL() << "mpirun not available under CI";
    GTEST_SKIP() << "mpirun not available: MPI comparison skipped";
  }
  const auto mpi = dir / "mpi.h5";
  const std::string cmd = "cd " + dir.path().string() +
                          " && OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                          "OMPI_MCA_rmaps_base_oversubscribe=1 ASAN_OPTIONS=detect_leaks=0 "
                          "timeout 300 mpirun --oversubscribe -x ASAN_OPTIONS -n 2 " +
                          std::string(COMMSIM_BIN) + " calibrate " + file + " -o " + mpi.string() +
                          " -q > mpi.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "mpi.log");
  EXPECT_TRUE(same_posterior(one, mpi)) << "mpirun -n 2";
}

std::size_t files_under(const std::filesystem::path& folder) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    n += it->path().extension() == ".h5" && it->path().string().find(".tmp-") == std::string::npos;
  return n;
}

TEST(Calibration, ResumeAfterSigkillGivesTheSamePosteriorAndAChangedFileIsRefused) {
  TempDir dir;
  const std::string text = queue_calibration(std::string(kSmall) + kQueueTargets, 100);
  write_file(dir / "c.yaml", text);
  const auto file = (dir / "c.yaml").string();
  const auto whole = dir / "whole.h5";
  auto r = run_commsim({"calibrate", file, "-o", whole.string(), "-q", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto out = dir / "o.h5";
  const auto partial = dir / "o.h5.partial";
  const std::vector<std::string> args = {"calibrate", file,        "-o", out.string(),
                                         "-q",        "--threads", "2"};
  // Killed in the middle of generation 1 (24 runs of generation 0, then some of generation 1).
  const pid_t pid = start_commsim(args, "/dev/null", dir / "log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (files_under(partial) < 30 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_FALSE(std::filesystem::exists(out)) << "killed before the end: no posterior file";
  ASSERT_GE(files_under(partial), 30u);

  // Without --resume the kept runs are not thrown away; a changed file is refused.
  r = run_commsim(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  std::string changed = text;
  changed.replace(changed.find("quantile: 0.5"), 13, "quantile: 0.4");
  write_file(dir / "c.yaml", changed);
  auto resume = args;
  resume.push_back("--resume");
  r = run_commsim(resume);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("different sweep"), std::string::npos) << r.err;

  write_file(dir / "c.yaml", text);
  resume.erase(resume.begin() + 4);  // not quiet: the summary says how many runs were kept
  r = run_commsim(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("kept from before"), std::string::npos) << r.out;
  EXPECT_TRUE(same_posterior(whole, out));
  EXPECT_FALSE(std::filesystem::exists(partial));
}

}  // namespace
}  // namespace commsim::test
