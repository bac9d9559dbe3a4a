#include "sim/cli/commands.hpp"

namespace commsim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"run", "run one scenario and write its results to HDF5",
       "commsim run SCENARIO.yaml -o OUT.h5 [options]\n\n"
       "Runs the scenario and writes OUT.h5 (written to a temporary name, renamed when "
       "complete).\n\n"
       "  -o, --output OUT.h5   results file (its folder must exist)\n"
       "  --seed N              the run's seed (same as --set run.seed=N)\n"
       "  --days N              days to simulate (same as --set run.days=N)\n"
       "  --threads N           worker threads (default: all cores); results do not depend on it\n"
       "  --set key.path=value  override any scenario key, validated like the file (repeatable);\n"
       "                        list entries by index: --set community.groups.1.share=0.3\n"
       "  --max-memory SIZE     refuse a scenario whose estimated memory exceeds SIZE (8G, 512M;\n"
       "                        default: the machine's available memory)\n"
       "  -q, --quiet           no progress and no summary\n"
       "  --progress-every S    without a terminal, a progress line every S seconds (default:\n"
       "                        $COMMSIM_PROGRESS_EVERY, else 30); on a terminal, a bar\n"
       "  --summary key|full    the printed summary: key metrics (default) or every summary\n"
       "  --profile             print the wall time of each phase of the day loop (stderr)\n\n"
       "Exit codes: 0 success, 2 bad input, 1 internal failure.",
       run_command},
      {"validate", "check a scenario without running it",
       "commsim validate SCENARIO.yaml [--set key.path=value ...] [--days N] [--seed N]\n"
       "                 [--max-memory SIZE]\n\n"
       "Loads, resolves and validates the scenario, with the same checks as run; errors name the\n"
       "file, line, column and key. Prints an estimate of the run's memory and time; a scenario\n"
       "whose memory exceeds --max-memory (default: the machine's available memory) is invalid.\n"
       "Exit codes: 0 valid, 2 invalid.",
       validate_command},
      {"schema", "print the scenario reference (Markdown, or JSON Schema with --json)",
       "commsim schema [--json]\n\n"
       "Prints every scenario key with its type, default, unit, range and meaning, generated from\n"
       "the definition the loader uses. --json prints a JSON Schema (draft-07) for editors.",
       schema_command},
      {"metrics", "print every metric a run writes: unit, breakdown, rules (Markdown, or --json)",
       "commsim metrics [SCENARIO.yaml] [--json]\n\n"
       "Lists every time series and summary a run writes, with its unit, breakdown, how it\n"
       "combines across grids, its end-of-run rule and its description, from the declarations\n"
       "the recorder uses (docs/metrics.md is this output). Without a scenario, the built-in\n"
       "defaults; the breakdowns' labels depend on the scenario, the metrics do not.",
       metrics_command},
      {"sweep", "run a sweep (scenario variants x replications) into one HDF5 file",
       "commsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--shard i/N] [--dry-run]\n"
       "              [--progress-every S]\n\n"
       "Runs every point of the sweep's design, each replication with a hashed seed, in parallel,\n"
       "and writes one results file (layout: docs/output.md). Finished runs are kept in\n"
       "OUT.h5.partial/ as they finish; OUT.h5 appears only when every run is done.\n\n"
       "  -o, --output OUT.h5   results file (its folder must exist)\n"
       "  --threads N           cores to use (default: all; under mpirun: per worker rank, 1)\n"
       "  --resume              continue an interrupted sweep: run only the missing runs\n"
       "                        (refused if the sweep file changed since)\n"
       "  --shard i/N           run only slice i of N (0 <= i < N), e.g. one Slurm array task;\n"
       "                        combine the slices with commsim merge\n"
       "  --dry-run             validate the sweep file and every point's scenario, print the\n"
       "                        memory estimate, then stop\n"
       "  --max-memory SIZE     refuse a sweep whose runs at once (threads, or worker ranks on\n"
       "                        a node) would need more than SIZE (8G, 512M; default: the\n"
       "                        machine's available memory), before the first run\n"
       "  -q, --quiet           no progress and no summary\n"
       "  --progress-every S    without a terminal, a progress line every S seconds (default:\n"
       "                        $COMMSIM_PROGRESS_EVERY, else 30); on a terminal, a bar\n\n"
       "Under mpirun (mpirun -n K commsim sweep ...) rank 0 hands out runs to ranks 1..K-1 and\n"
       "writes the file and the progress; see docs/cluster.md. Ctrl-C (or SIGTERM) stops\n"
       "cleanly: finished runs are kept for --resume (exit code 130).\n"
       "Exit codes: 0 success, 2 bad input, 1 internal failure, 130 interrupted.",
       sweep_command},
      {"merge", "combine the shard files of one sweep into one results file",
       "commsim merge OUT.h5 SHARD1.h5 SHARD2.h5 ...\n\n"
       "The shards (from commsim sweep --shard i/N) must come from the same sweep file and\n"
       "together hold every run exactly once. OUT.h5 holds the same datasets as an unsharded\n"
       "sweep. Exit codes: 0 success, 2 bad input, 1 internal failure.",
       merge_command},
      {"calibrate", "fit uncertain parameters to observed figures (ABC-SMC) into a posterior file",
       "commsim calibrate CALIB.yaml -o POSTERIOR.h5 [--threads N] [--resume] [--dry-run]\n\n"
       "Fits the calibration file's parameters to its targets by ABC-SMC and writes the weighted\n"
       "particles of every generation, the posterior and a posterior predictive check (layout:\n"
       "docs/calibration.md). The posterior is the same for any --threads or mpirun -n K and\n"
       "after --resume. Finished runs are kept in POSTERIOR.h5.partial/ as they finish.\n\n"
       "  -o, --output FILE     posterior file (its folder must exist)\n"
       "  --threads N           cores to use (default: all; under mpirun: per worker rank, 1)\n"
       "  --resume              continue an interrupted calibration (refused if the file changed)\n"
       "  --dry-run             validate the calibration file and its scenarios, then stop\n"
       "  -q, --quiet           no progress and no summary\n"
       "  --progress-every S    without a terminal, a progress line every S seconds (default:\n"
       "                        $COMMSIM_PROGRESS_EVERY, else 30); on a terminal, a bar\n\n"
       "Under mpirun rank 0 proposes, weighs and writes; ranks 1..K-1 simulate. Ctrl-C (or\n"
       "SIGTERM) stops cleanly: finished runs are kept for --resume (exit code 130).\n"
       "Exit codes: 0 success, 2 bad input, 1 internal failure, 130 interrupted.",
       calibrate_command},
      {"register", "write a scenario's community as a household register (CSV)",
       "commsim register SCENARIO.yaml -o HOUSEHOLDS.csv [--seed N] [--set key.path=value ...]\n\n"
       "Builds the community the scenario describes (the synthetic builder with the run's seed,\n"
       "or the scenario's own community.register) and writes it as a household register with\n"
       "every column filled: one row per household, the columns of docs/scenario.md 'Household\n"
       "register'. `community.register: HOUSEHOLDS.csv` builds the same households, members and\n"
       "layout again; edit it into your own community's register. The file is written to a\n"
       "temporary name and renamed when complete.\n"
       "Exit codes: 0 success, 2 bad input, 1 internal failure.",
       register_command},
  };
  return all;
}

}  // namespace commsim::cli
