// commsim: the command. Turns errors into messages and exit codes: 0 success, 2 bad input
// (scenario or usage), 1 internal failure.

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "commsim/build_info.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/preflight.hpp"
#include "sim/scenario/error.hpp"

namespace {

void print_overview() {
  std::printf(
      "commsim %s: agent-based simulation of grid-based community governance\n\n"
      "usage: commsim COMMAND [options]    (commsim COMMAND --help for details)\n\n",
      commsim::build_info::version);
  for (const auto& c : commsim::cli::commands()) std::printf("  %-10s %s\n", c.name, c.summary);
}

int dispatch(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("commsim %s (%s)\n", commsim::build_info::version, commsim::build_info::git_commit);
    return 0;
  }
  for (const auto& c : commsim::cli::commands()) {
    if (args[0] != c.name) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest)
      if (a == "--help" || a == "-h") {
        std::printf("%s\n", c.help);
        return 0;
      }
    return c.run(rest);
  }
  throw commsim::cli::UsageError("unknown command '" + args[0] + "' (commsim --help lists them)");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return dispatch(args);
  } catch (const commsim::scenario::ScenarioError& e) {
    std::fprintf(stderr, "commsim: error: %s\n", e.what());
    return 2;
  } catch (const commsim::cli::UsageError& e) {
    std::fprintf(stderr, "commsim: %s\n", e.what());
    return 2;
  } catch (const commsim::output::OutputPathError& e) {
    std::fprintf(stderr, "commsim: %s\n", e.what());
    return 2;
  } catch (const commsim::output::StorageError& e) {  // a full disk: not commsim's fault
    std::fprintf(stderr, "commsim: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "commsim: internal error: %s\n", e.what());
    return 1;
  }
}
