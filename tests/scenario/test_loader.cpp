// Scenario loading: defaults filled in, overrides, extends, and one test per error class, each
// checking that the message names the file, the line and the key path.

#include <gtest/gtest.h>

#include "scenario/scenario_errors.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "support/test_support.hpp"

namespace commsim::scenario {
namespace {

using test::TempDir;
using test::write_file;

TEST(Loader, EmptyScenarioTakesEveryDefault) {
  const auto s = load_scenario_text("", "empty.yaml").scenario;
  EXPECT_EQ(s.community.households, 5025);
  EXPECT_EQ(s.community.households_per_grid, 420);
  EXPECT_EQ(s.community.groups.size(), 5u);
  EXPECT_EQ(s.needs.types.size(), 9u);
  EXPECT_EQ(s.run.days, 365);
}

TEST(Loader, ResolvedScenarioReloadsToTheSameValue) {
  const auto a = load_scenario_text("community: {households: 900}", "a.yaml");
  const auto b = load_scenario_text(a.resolved_yaml, "b.yaml");
  EXPECT_EQ(a.resolved_yaml, b.resolved_yaml);
  EXPECT_EQ(b.scenario.community.households, 900);
}

TEST(Loader, ListOfObjectsGetsElementDefaults) {
  const auto s = load_scenario_text(
      "community:\n  groups:\n    - {name: A, share: 0.5}\n    - {name: B, share: 0.5}\n"
      "staffing: {languages: []}\n",
      "s.yaml");
  ASSERT_EQ(s.scenario.community.groups.size(), 2u);
  EXPECT_EQ(s.scenario.community.groups[1].low_proficiency, 0.0);
}

TEST(Loader, SetOverridesAnyKeyIncludingListEntries) {
  const auto s =
      load_scenario_text("", "s.yaml",
                         {"community.households=1000", "community.groups.1.low_proficiency=0.5",
                          "needs.types[0].rate=2.5", "run.days=10"});
  EXPECT_EQ(s.scenario.community.households, 1000);
  EXPECT_EQ(s.scenario.community.groups[1].low_proficiency, 0.5);
  EXPECT_EQ(s.scenario.needs.types[0].rate, 2.5);
  EXPECT_EQ(s.scenario.run.days, 10);
}

TEST(ScenarioErrors, UnknownKeySuggestsTheCloseName) {
  const auto e = error_of("run:\n  days: 3\ncommunity:\n  housholds: 100\n");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_EQ(e.key_path(), "community.housholds");
  EXPECT_NE(std::string(e.what()).find("s.yaml:4:3"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("did you mean 'households'?"), std::string::npos)
      << e.what();
}

TEST(ScenarioErrors, WrongTypeNamesWhatWasExpected) {
  const auto e = error_of("community:\n  households: many\n");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.key_path(), "community.households");
  EXPECT_NE(std::string(e.what()).find("expected an integer"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("'many'"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, OutOfRangeGivesTheRange) {
  const auto e = error_of("community:\n  groups:\n    - {name: A, share: 1.5}\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "community.groups[0].share");
  EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, MissingRequiredKey) {
  const auto e = error_of("community:\n  groups:\n    - {name: A}\n");
  EXPECT_EQ(e.key_path(), "community.groups[0].share");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_NE(std::string(e.what()).find("required key is missing"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, BadChoiceSuggestsTheCloseName) {
  const auto e = error_of("needs:\n  types:\n    - {name: x, rate: 1, scope: houshold}\n");
  EXPECT_EQ(e.key_path(), "needs.types[0].scope");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_NE(std::string(e.what()).find("did you mean 'household'?"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, CrossFieldCheckNamesTheList) {
  const auto e =
      error_of("community:\n  groups:\n    - {name: A, share: 0.5}\n    - {name: B, share: 0.4}\n");
  EXPECT_EQ(e.key_path(), "community.groups");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_NE(std::string(e.what()).find("sum to 1"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, ListLengthOutOfRange) {
  const auto e = error_of("needs:\n  types:\n    - {name: x, rate: 1, severity_weights: [1, 2]}\n");
  EXPECT_EQ(e.key_path(), "needs.types[0].severity_weights");
  EXPECT_NE(std::string(e.what()).find("length in [3, 3]"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, InvalidYamlGivesTheLine) {
  const auto e = error_of("run:\n  days: [1, 2\n");
  EXPECT_GE(e.where().line, 2);
  EXPECT_NE(std::string(e.what()).find("not valid YAML"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, DuplicateKey) {
  const auto e = error_of("run:\n  days: 3\n  days: 4\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_NE(std::string(e.what()).find("given twice"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, MappingWhereAValueBelongs) {
  const auto e = error_of("run:\n  days:\n    n: 3\n");
  EXPECT_EQ(e.key_path(), "run.days");
  EXPECT_NE(std::string(e.what()).find("got a mapping"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, MissingFile) {
  try {
    load_scenario("/nonexistent/scenario.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/scenario.yaml"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}

TEST(ScenarioErrors, SetWithBadValueNamesTheArgument) {
  const auto e = error_of("", {"community.households=lots"});
  EXPECT_EQ(e.key_path(), "community.households");
  EXPECT_NE(std::string(e.what()).find("--set community.households=lots"), std::string::npos)
      << e.what();
}

TEST(ScenarioErrors, SetWithUnknownKey) {
  const auto e = error_of("", {"community.houshold=3"});
  EXPECT_EQ(e.key_path(), "community.houshold");
  EXPECT_NE(std::string(e.what()).find("did you mean"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, SetWithoutEquals) {
  const auto e = error_of("", {"community.households"});
  EXPECT_NE(std::string(e.what()).find("expected key.path=value"), std::string::npos) << e.what();
}

TEST(ScenarioErrors, SetIndexOutOfRange) {
  const auto e = error_of("", {"community.groups.9.share=0.1"});
  EXPECT_NE(std::string(e.what()).find("index out of range"), std::string::npos) << e.what();
}

TEST(Extends, ChildOverridesBaseAndErrorsNameTheRightFile) {
  TempDir dir;
  write_file(dir / "base.yaml", "run:\n  days: 30\ncommunity:\n  households: 800\n");
  write_file(dir / "child.yaml", "extends: base.yaml\ncommunity:\n  households: 900\n");
  const auto s = load_scenario(dir / "child.yaml");
  EXPECT_EQ(s.scenario.run.days, 30);
  EXPECT_EQ(s.scenario.community.households, 900);
  EXPECT_EQ(s.resolved.find("extends"), nullptr);

  write_file(dir / "bad_base.yaml", "run:\n  days: -1\n");
  write_file(dir / "bad_child.yaml", "extends: bad_base.yaml\n");
  try {
    load_scenario(dir / "bad_child.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(e.where().str().find("bad_base.yaml:2"), std::string::npos) << e.what();
  }
}

TEST(Extends, ChainsWork) {
  TempDir dir;
  write_file(dir / "a.yaml", "run: {days: 10, seed: 5}\n");
  write_file(dir / "b.yaml", "extends: a.yaml\nrun: {days: 20}\n");
  write_file(dir / "c.yaml", "extends: b.yaml\ncommunity: {households: 700}\n");
  const auto s = load_scenario(dir / "c.yaml").scenario;
  EXPECT_EQ(s.run.days, 20);
  EXPECT_EQ(s.run.seed, 5u);
  EXPECT_EQ(s.community.households, 700);
}

TEST(Extends, CycleIsAnError) {
  TempDir dir;
  write_file(dir / "a.yaml", "extends: b.yaml\n");
  write_file(dir / "b.yaml", "extends: a.yaml\n");
  try {
    load_scenario(dir / "a.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
    EXPECT_EQ(e.key_path(), "extends");
  }
}

TEST(Extends, MissingBaseIsAnError) {
  TempDir dir;
  write_file(dir / "a.yaml", "extends: nowhere.yaml\n");
  try {
    load_scenario(dir / "a.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(e.where().str().find("a.yaml:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST(Schema, ReferenceListsEveryKeyWithDefaultsAndSources) {
  const std::string md = schema_markdown(scenario_schema());
  EXPECT_NE(md.find("`community.households`"), std::string::npos);
  EXPECT_NE(md.find("`5025`"), std::string::npos);
  EXPECT_NE(md.find("`community.groups[].share`"), std::string::npos);
  EXPECT_NE(md.find("[003]"), std::string::npos);
  EXPECT_NE(md.find("### Default of `needs.types`"), std::string::npos);
}

TEST(Schema, JsonSchemaIsClosedAndTyped) {
  const std::string js = schema_json(scenario_schema());
  EXPECT_EQ(js.rfind("{\"$schema\"", 0), 0u);
  EXPECT_NE(js.find("\"additionalProperties\":false"), std::string::npos);
  EXPECT_NE(js.find("\"households\":{"), std::string::npos);
  EXPECT_NE(js.find("\"enum\":[\"resident\",\"household\",\"stairwell\",\"building\"]"),
            std::string::npos);
  // A sentinel beside a range (embedding.initial_vacancy: -1 or [0, 0.9]).
  EXPECT_NE(js.find("\"anyOf\":[{\"const\":-1},{\"minimum\":0,\"maximum\":0.9}]"),
            std::string::npos);
  // Balanced braces: a cheap check that the document is well formed.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < js.size(); ++i) {
    if (js[i] == '"' && (i == 0 || js[i - 1] != '\\')) in_string = !in_string;
    if (in_string) continue;
    if (js[i] == '{') ++depth;
    if (js[i] == '}') --depth;
    ASSERT_GE(depth, 0);
  }
  EXPECT_EQ(depth, 0);
}

}  // namespace
}  // namespace commsim::scenario
