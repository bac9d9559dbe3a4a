// What provenance records about the build: the commit that was built (not the one CMake last
// configured) and the library versions.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "commsim/build_info.hpp"

namespace commsim::output {
namespace {

std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(Provenance, RecordsTheCommitThatWasBuilt) {
  const std::string head = command_output("git -C '" + std::string(COMMSIM_SOURCE_DIR) +
                                          "' rev-parse --short=12 HEAD 2>/dev/null");
  if (head.empty()) GTEST_SKIP() << "not a git checkout";
  const std::string recorded = build_info::git_commit;
  // The test binary is built in the same build as commsim; "-dirty" marks uncommitted changes.
  EXPECT_TRUE(recorded == head || recorded == head + "-dirty")
      << "recorded " << recorded << ", HEAD is " << head;
}

TEST(Provenance, RecordsTheRandom123Version) {
  const std::string installed =
      command_output("dpkg-query -W -f='${Version}' librandom123-dev 2>/dev/null");
  if (installed.empty()) GTEST_SKIP() << "Random123 not installed as a Debian package";
  EXPECT_EQ(std::string(build_info::random123_version), installed);
}

}  // namespace
}  // namespace commsim::output
