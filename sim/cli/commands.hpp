#pragma once
// The subcommands of `commsim`. Each takes its arguments (after the subcommand's name) and
// returns the exit code: 0 success, 2 bad input, 1 internal failure. Errors travel up as
// exceptions (ScenarioError, UsageError: exit 2) and are turned into messages in main.cpp.

#include <string>
#include <vector>

namespace commsim::cli {

struct Command {
  const char* name;
  const char* summary;
  const char* help;  // shown by `commsim NAME --help`
  int (*run)(const std::vector<std::string>& args);
};

int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int schema_command(const std::vector<std::string>& args);
int metrics_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int register_command(const std::vector<std::string>& args);

// Every subcommand, in the order `commsim --help` lists them.
const std::vector<Command>& commands();

}  // namespace commsim::cli
