// The subset YAML reader against yaml-cpp: wherever the subset reader accepts a text, its tree
// (kinds, scalars, keys, every line and column) must be yaml-cpp's. Checked on every YAML file
// of the repository, every input of the scenario fuzzer's corpus, hand-made edge cases and
// mutants of them; and the shipped scenarios must take the fast path.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/scenario/document.hpp"

namespace commsim::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = COMMSIM_SOURCE_DIR;

// "declined", "agree", or what differs (document.hpp).
std::string compare(const std::string& text) {
  return compare_yaml_readers(text, "t.yaml");
}

std::vector<fs::path> repository_yaml_files() {
  std::vector<fs::path> out;
  for (const char* folder : {"scenarios", "tests"})
    for (const auto& e : fs::recursive_directory_iterator(kRoot / folder))
      if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  return out;
}

TEST(YamlSubset, EveryShippedScenarioTakesTheFastPathAndAgreesWithYamlCpp) {
  const auto files = repository_yaml_files();
  ASSERT_GT(files.size(), 25u);
  for (const auto& path : files) {
    const std::string verdict = compare(read_text_file(path));
    // Every shipped scenario, sweep and calibration file is in the subset: that is the point.
    // erlang_c.yaml writes flow mappings over several lines, which yaml-cpp reads.
    const bool multi_line_flow = path.filename() == "erlang_c.yaml";
    EXPECT_EQ(verdict, multi_line_flow ? "declined" : "agree") << path;
  }
}

TEST(YamlSubset, EveryFuzzCorpusInputIsDeclinedOrAgrees) {
  int accepted = 0;
  int inputs = 0;
  for (const auto& e : fs::directory_iterator(kRoot / "tests/fuzz/corpus/scenario")) {
    std::string text = read_text_file(e.path());
    text = text.substr(0, text.find('\0'));
    const std::string verdict = compare(text);
    ++inputs;
    if (verdict == "agree")
      ++accepted;
    else
      EXPECT_EQ(verdict, "declined") << e.path();
  }
  EXPECT_GT(inputs, 100);
  EXPECT_GT(accepted, inputs / 4);  // the comparison is not empty
}

// Inputs at the subset's edges. Each either is declined or must agree; the ones marked fast must
// be accepted, the ones marked declined must be left to yaml-cpp.
struct Case {
  const char* text;
  const char* expect;  // "agree", "declined" or "either"
};

const Case kCases[] = {
    {"", "agree"},
    {"# only a comment\n\n   # and another\n", "agree"},
    {"a: 1\n", "agree"},
    {"a: 1", "agree"},
    {"  a: 1\n  b: 2\n", "agree"},
    {"a:\n  b: 1\n  c: [1, 2, 3]\n", "agree"},
    {"a:\n- 1\n- 2\nb: x\n", "agree"},
    {"a:\n  - 1\n  -   2   # two\n", "agree"},
    {"a:\n  - x: 1\n    y: 2\n  - x: 3\n", "agree"},
    {"a:\n  -   x: 1\n      y: [a, b]\n", "agree"},
    {"a:\n  -\n    x: 1\n", "agree"},
    {"a: {b: 1, c: {d: [1, {e: f}]}}\n", "agree"},
    {"a: [ ]\nb: {}\nc: [ a , b ]\n", "agree"},
    {"a: 'it''s'\nb: \"q # not a comment\"\nc: it's # a comment\n", "agree"},
    {"a: x#y\nb: x # y\nc: -1\nd: -.5\ne: http://host/path\n", "agree"},
    {"a: ~\nb: null\nc: [null, Null, NULL, ~]\nd: 'null'\n", "agree"},
    {"a: value with  spaces   \n", "agree"},
    {"a: 1\n# comment\n  # indented comment\nb: 2\n", "agree"},
    {"a: 1 # 汉字 comment\n# 注释\nb: 2\n", "agree"},
    {"a.b-c_d: 1\n0: zero\n", "agree"},
    {"a: [1, 2] # c\n", "agree"},
    {"a: [.? 2]\n", "declined"},
    // Outside the subset: yaml-cpp reads them (or rejects them) as before.
    {"a: &x 1\nb: *x\n", "declined"},
    {"a: !!str 1\n", "declined"},
    {"a: |\n  text\n", "declined"},
    {"a: >\n  text\n", "declined"},
    {"a: b\n  c\n", "declined"},
    {"a: [1,\n  2]\n", "declined"},
    {"a: \"x\\ny\"\n", "declined"},
    {"a:\nb: 1\n", "declined"},
    {"a:\n", "declined"},
    {"---\na: 1\n", "declined"},
    {"a: 1\n...\n", "declined"},
    {"%YAML 1.2\n---\na: 1\n", "declined"},
    {"a:\t1\n", "declined"},
    {"a: 1\r\nb: 2\r\n", "declined"},
    {"a: 1\na: 2\n", "declined"},
    {"null: 1\n", "declined"},
    {"\"a\": 1\n", "declined"},
    {"? a\n: 1\n", "declined"},
    {"- 1\n- 2\n", "declined"},
    {"a: - 1\n", "declined"},
    {"a:\n  - - 1\n", "declined"},
    {"a: b: c\n", "declined"},
    {"a: 汉字\nb: \"引号 # 不是注释\"\nc: {d: '汉', e: 1}\n", "agree"},
    {"a: \xef\xbb\xbf"
     "1\n",
     "declined"},
    {"a: 1\n b: 2\n", "declined"},
    {"a:\n    b: 1\n  c: 2\n", "declined"},
    {"a: [a: 1]\n", "declined"},
    {"a: {b}\n", "declined"},
    {"a: [1, , 2]\n", "declined"},
    {"a: [1, 2,]\n", "declined"},
    {"a: \"x\"y\n", "declined"},
    {"a: 'x'#c\n", "declined"},
    {"a: :x\n", "declined"},
    {"a: x\xff\n", "declined"},
    {"plain text\n", "declined"},
    {"a: 1\nplain\n", "declined"},
};

TEST(YamlSubset, EdgeCasesAreDeclinedOrAgree) {
  for (const auto& c : kCases) {
    const std::string verdict = compare(c.text);
    if (std::string(c.expect) == "either")
      EXPECT_TRUE(verdict == "agree" || verdict == "declined") << c.text << "\n" << verdict;
    else
      EXPECT_EQ(verdict, c.expect) << "input:\n" << c.text;
  }
}

// Random edits of the edge cases and of a shipped file (a byte replaced by one that matters to
// YAML, inserted or deleted; lines swapped): every mutant is declined or agrees.
TEST(YamlSubset, MutantsAreDeclinedOrAgree) {
  std::vector<std::string> bases;
  for (const auto& c : kCases) bases.emplace_back(c.text);
  bases.push_back(read_text_file(kRoot / "scenarios/policies/staffing_24_per_10k.yaml"));
  bases.push_back(
      "a:\n  - {name: x, share: 0.5}\n  - name: y\n    list: [1, 'two', \"3\"]\nb: -1 # c\n");
  // COMMSIM_YAML_MUTANTS=N runs N of them (a longer local search); 50,000 take about 0.1 s.
  const char* env = std::getenv("COMMSIM_YAML_MUTANTS");
  const std::uint64_t kMutants = env ? std::strtoull(env, nullptr, 10) : 50000;
  static constexpr char kAlphabet[] = " \n-:#[]{},'\"~&*!|>?.0aN\t";
  int accepted = 0;
  int mutants = 0;
  for (std::uint64_t k = 0; k < kMutants; ++k) {
    const auto& base = bases[k % bases.size()];
    std::string s = base;
    const auto r = [&](std::uint64_t purpose, std::uint64_t n) {
      return n == 0 ? 0 : derive_seed(0xC0FFEE, k, purpose) % n;
    };
    const int edits = 1 + static_cast<int>(r(1, 3));
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = r(10 + e, s.size() + 1);
      const char c = kAlphabet[r(20 + e, sizeof kAlphabet - 1)];
      switch (r(30 + e, 3)) {
        case 0:
          if (at < s.size()) s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (at < s.size()) s.erase(at, 1);
      }
    }
    const std::string verdict = compare(s);
    ++mutants;
    if (verdict == "agree")
      ++accepted;
    else
      ASSERT_EQ(verdict, "declined") << "input:\n" << s;
  }
  EXPECT_GT(accepted, mutants / 10);
}

}  // namespace
}  // namespace commsim::scenario
