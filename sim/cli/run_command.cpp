#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/progress.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/preflight.hpp"
#include "sim/output/provenance.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/estimate.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/region.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::cli {

namespace {

// --days and --seed are shorthands for --set, so they are validated like any other key and
// appear in the resolved scenario.
std::vector<std::string> overrides_of(const Args& args) {
  std::vector<std::string> out = args.values("--set");
  if (auto d = args.value("--days")) out.push_back("run.days=" + *d);
  if (auto s = args.value("--seed")) out.push_back("run.seed=" + *s);
  return out;
}

const std::vector<OptionSpec> kScenarioOptions = {{"--set", "", true, true},
                                                  {"--days", "", true, false},
                                                  {"--seed", "", true, false},
                                                  {"--max-memory", "", true, false}};

scenario::LoadedScenario load(const Args& args, const char* usage) {
  if (args.positional().size() != 1) throw UsageError(std::string("usage: ") + usage);
  return scenario::load_scenario(args.positional()[0], overrides_of(args));
}

// The run's estimated cost, checked against --max-memory (default: the machine's available
// memory) before any work; a long run is warned of on stderr.
scenario::ResourceEstimate check_resources(const Args& args,
                                           const scenario::LoadedScenario& loaded) {
  const auto estimate = scenario::estimate_resources(loaded.scenario);
  if (const auto limit =
          args.bytes("--max-memory") ? args.bytes("--max-memory") : scenario::available_memory())
    scenario::check_memory(estimate, *limit, loaded.resolved);
  if (const auto warning = scenario::time_warning(estimate); !warning.empty())
    std::fprintf(stderr, "commsim: warning: %s\n", warning.c_str());
  return estimate;
}

std::string rounded(double v) {
  return scenario::format_number(std::round(v * 1000) / 1000);
}

// One line per summary: its headline (the total of a count, the population mean of a score or a
// share, from numerators and denominators), unit and kind, then the cells of a short one-axis
// breakdown; cells without a value (a group with no such orders) are left out, not shown as NaN.
void print_summary(const output::RunResult& r, bool full) {
  constexpr std::size_t kMaxCells = 8;
  const auto shown = [&](const output::Metric& m) { return full || m.key; };
  const auto count = std::count_if(r.summaries.begin(), r.summaries.end(), shown);
  std::printf("%s (%zu of %zu; %s; docs/metrics.md says what each is):\n",
              full ? "summaries" : "key summaries", static_cast<std::size_t>(count),
              r.summaries.size(),
              full ? "--summary key for the key ones" : "--summary full for all");
  for (const auto& m : r.summaries) {
    if (!shown(m)) continue;
    const bool has_headline = m.headline_kind != "none";
    const std::string headline = !has_headline            ? ""
                                 : std::isnan(m.headline) ? "-"
                                                          : rounded(m.headline);
    const char* kind =
        m.headline_kind == "total" || m.headline_kind == "mean" ? m.headline_kind.c_str() : "";
    std::string line = "  " + m.name;
    line.resize(std::max<std::size_t>(line.size() + 1, 36), ' ');
    char head[64];
    std::snprintf(head, sizeof head, "%12s %-11s %-5s", headline.c_str(), m.unit.c_str(), kind);
    line += head;
    if (m.dims.size() == 1 && m.values.size() > 1 && m.values.size() <= kMaxCells) {
      std::string cells;
      for (std::size_t i = 0; i < m.values.size(); ++i)
        if (!std::isnan(m.values[i]))
          cells += (cells.empty() ? "" : ", ") + m.dims[0].labels[i] + " " + rounded(m.values[i]);
      line += "  " + cells;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  auto options = kScenarioOptions;
  options.push_back({"--output", "-o", true, false});
  options.push_back({"--threads", "", true, false});
  options.push_back({"--quiet", "-q", false, false});
  options.push_back({"--profile", "", false, false});
  options.push_back(kProgressEveryOption);
  options.push_back({"--summary", "", true, false});
  const Args args(argv, options);
  const char* usage =
      "commsim run SCENARIO.yaml -o OUT.h5 [--seed N] [--days N] [--threads N] "
      "[--set key.path=value ...] [--max-memory 8G] [--quiet] [--progress-every SECONDS] "
      "[--summary key|full]";
  const auto out_path = args.value("--output");
  if (!out_path) throw UsageError(std::string("missing -o OUT.h5; usage: ") + usage);
  const int threads = static_cast<int>(args.integer("--threads", 0, 1024).value_or(0));
  const bool quiet = args.flag("--quiet");
  const double progress_seconds = progress_every(args);
  const std::string summary = args.value("--summary").value_or("key");
  if (summary != "key" && summary != "full")
    throw UsageError("--summary takes key or full, not '" + summary + "'");
  const auto loaded = load(args, usage);
  check_resources(args, loaded);
  output::check_output_path(*out_path, output::estimated_run_file_bytes(loaded.scenario));

  engine::RunOptions run_options;
  run_options.seed = loaded.scenario.run.seed;
  run_options.threads = threads;
  ProgressBar bar("days", !quiet, progress_seconds);
  run_options.progress = [&](std::int64_t done, std::int64_t total) { bar.update(done, total); };
  auto provenance = output::make_provenance(loaded, run_options.seed, 0, threads);
  const engine::RunOutput out = engine::run_simulation(loaded.scenario, run_options);
  bar.finish();
  provenance.threads = out.threads;
  provenance.wall_seconds = out.wall_seconds;
  output::check_output_path(*out_path, output::estimated_run_file_bytes(out.result));
  output::write_run_file(*out_path, out.result, provenance);

  if (!quiet) {
    const auto& region = loaded.scenario.region;
    const std::string name =
        !region ? loaded.scenario.community.name
        : region->name.empty()
            ? "a region of " + std::to_string(region->communities.size()) + " communities"
            : region->name;
    std::printf("commsim %s: %s, %lld days, seed %llu -> %s\n", name.c_str(),
                args.positional()[0].c_str(), static_cast<long long>(out.result.days),
                static_cast<unsigned long long>(run_options.seed), out_path->c_str());
    print_summary(out.result, summary == "full");
    std::printf("wall %.3f s on %d threads, %.3g resident-days/s\n", out.wall_seconds, out.threads,
                static_cast<double>(out.resident_days) / std::max(out.wall_seconds, 1e-9));
  }
  if (args.flag("--profile")) {
    // Wall time of each phase of the day loop, summed over days (stderr, so stdout stays clean).
    for (const auto& p : out.phases)
      std::fprintf(stderr, "phase %-12s %9.4f s  %5.1f%%\n", p.name.c_str(), p.seconds,
                   100.0 * p.seconds / std::max(out.wall_seconds, 1e-9));
    // Each step of the day plan, summed over days (a grid step also over grids, so with several
    // threads its time is CPU time and the steps of a phase can add up to more than its wall).
    for (const auto& st : out.steps)
      std::fprintf(stderr, "step  %-9s %-40s %9.4f s\n", st.phase.c_str(), st.name.c_str(),
                   st.seconds);
  }
  return 0;
}

int validate_command(const std::vector<std::string>& argv) {
  const Args args(argv, kScenarioOptions);
  const auto loaded =
      load(args, "commsim validate SCENARIO.yaml [--set key.path=value ...] [--max-memory 8G]");
  const auto estimate = check_resources(args, loaded);
  if (const auto& region = loaded.scenario.region) {
    long long households = 0;
    for (const auto& c : region->communities) households += c.scenario->community.households;
    const auto plural = [](std::size_t k, const char* one, const char* many) {
      return std::to_string(k) + " " + (k == 1 ? one : many);
    };
    std::printf("%s: valid (a region of %s in %s, %lld households, %zu groups, %lld days)\n",
                args.positional()[0].c_str(),
                plural(region->communities.size(), "community", "communities").c_str(),
                plural(region->subdistricts.size(), "subdistrict", "subdistricts").c_str(),
                households, loaded.scenario.community.groups.size(),
                static_cast<long long>(loaded.scenario.run.days));
  } else {
    std::printf("%s: valid (%lld households, %zu groups, %zu need types, %lld days)\n",
                args.positional()[0].c_str(),
                static_cast<long long>(loaded.scenario.community.households),
                loaded.scenario.community.groups.size(), loaded.scenario.needs.types.size(),
                static_cast<long long>(loaded.scenario.run.days));
  }
  std::printf(
      "estimate: %s of memory, %s on one thread (%.0f residents, %.0f grids, %.0f simulated "
      "days; within a factor of %g)\n",
      scenario::format_bytes(estimate.memory_bytes).c_str(),
      scenario::format_seconds(estimate.seconds).c_str(), estimate.residents, estimate.grids,
      estimate.simulated_days, scenario::ResourceEstimate::kFactor);
  return 0;
}

int register_command(const std::vector<std::string>& argv) {
  auto options = kScenarioOptions;
  options.push_back({"--output", "-o", true, false});
  const Args args(argv, options);
  const char* usage =
      "commsim register SCENARIO.yaml -o HOUSEHOLDS.csv [--seed N] [--set key.path=value ...]";
  const auto out_path = args.value("--output");
  if (!out_path) throw UsageError(std::string("missing -o HOUSEHOLDS.csv; usage: ") + usage);
  const auto loaded = load(args, usage);
  if (loaded.scenario.region)
    throw UsageError(
        "'" + args.positional()[0] +
        "' is a region: commsim register writes one community; give a scenario with its "
        "`community.register` or a community's keys instead");
  check_resources(args, loaded);
  const auto& s = loaded.scenario;
  const auto pop = population::build_population(s.community, StreamKey{s.run.seed, 0});
  const std::string text = scenario::register_csv(population::as_register(pop, s), s.community);
  output::check_output_path(*out_path, text.size());
  const output::RemoveTemporariesOnSignal guard;
  output::write_text_atomically(*out_path, text);
  std::printf("%s: %u households, %u residents, %u grids, %u buildings -> %s\n",
              args.positional()[0].c_str(), pop.households(), pop.residents(), pop.grids(),
              pop.buildings(), out_path->c_str());
  return 0;
}

}  // namespace commsim::cli
