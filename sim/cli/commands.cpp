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
       "  -q, --quiet           no progress bar and no summary\n"
       "  --profile             print the wall time of each phase of the day loop (stderr)\n\n"
       "Exit codes: 0 success, 2 bad input, 1 internal failure.",
       run_command},
      {"validate", "check a scenario without running it",
       "commsim validate SCENARIO.yaml [--set key.path=value ...] [--days N] [--seed N]\n\n"
       "Loads, resolves and validates the scenario; errors name the file, line, column and key.\n"
       "Exit codes: 0 valid, 2 invalid.",
       validate_command},
      {"schema", "print the scenario reference (Markdown, or JSON Schema with --json)",
       "commsim schema [--json]\n\n"
       "Prints every scenario key with its type, default, unit, range and meaning, generated from\n"
       "the definition the loader uses. --json prints a JSON Schema (draft-07) for editors.",
       schema_command},
  };
  return all;
}

}  // namespace commsim::cli
