// A household register (community.register): read, checked, put in the population's order; every
// error class names the file, line, column and what was expected.

#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::scenario {
namespace {

constexpr const char* kHeader = "household,grid,building,stairwell,floor,group,ages\n";

// A scenario in `dir` naming `csv` (written there as households.csv) as its register.
struct RegisterScenario {
  test::TempDir dir;
  std::string yaml;

  explicit RegisterScenario(const std::string& csv, const std::string& extra = {}) {
    test::write_file(dir / "households.csv", csv);
    yaml = "community:\n  register: households.csv\n" + extra;
    test::write_file(dir / "s.yaml", yaml);
  }
  LoadedScenario load(const std::vector<std::string>& overrides = {}) const {
    return load_scenario(dir / "s.yaml", overrides);
  }
  std::string csv_path() const { return (dir / "households.csv").string(); }
};

ScenarioError error_of(const RegisterScenario& s) {
  try {
    s.load();
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for the register";
  return ScenarioError({}, "", "none");
}

// The error a register raises: in the register file at `line` (and `column` when not 0), under
// community.register, its message containing `words`.
void expect_row_error(const std::string& csv, int line, int column, const std::string& words) {
  const RegisterScenario s(csv);
  const ScenarioError e = error_of(s);
  ASSERT_TRUE(e.where().file) << e.what();
  EXPECT_EQ(*e.where().file, s.csv_path()) << e.what();
  EXPECT_EQ(e.where().line, line) << e.what();
  if (column > 0) EXPECT_EQ(e.where().column, column) << e.what();
  EXPECT_EQ(e.key_path(), "community.register") << e.what();
  EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
}

TEST(Register, HouseholdsGridsBuildingsAndMembersAreTheFilesInThePopulationsOrder) {
  // Rows out of order: grid South first, building B2 split around B1, floors descending.
  const RegisterScenario s(std::string(kHeader) +
                           "h1,South,B2,1,2,Hui,40;38\n"
                           "h2,North,B1,1,1,Han,70\n"
                           "h3,South,B2,2,1,Han,30;5;3\n"
                           "h4,South,B2,1,1,Tibetan,81\n"
                           "h5,North,B1,1,1,Han,45;44\n");
  const auto loaded = s.load();
  const Register& r = *loaded.scenario.community.household_register;
  EXPECT_EQ(loaded.scenario.community.households, 5);
  EXPECT_TRUE(r.grids_given);
  ASSERT_EQ(r.grid_names, (std::vector<std::string>{"South", "North"}));
  EXPECT_EQ(r.grid_first_building, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(r.building_names, (std::vector<std::string>{"B2", "B1"}));
  EXPECT_EQ(r.building_first_stairwell, (std::vector<std::uint32_t>{0, 2, 3}));
  // B2's stairwell 1 by floor (h4 on floor 1, h1 on floor 2), then stairwell 2 (h3); then B1.
  EXPECT_EQ(r.household_names, (std::vector<std::string>{"h4", "h1", "h3", "h2", "h5"}));
  EXPECT_EQ(r.stairwell_first_household, (std::vector<std::uint32_t>{0, 2, 3, 5}));
  EXPECT_EQ(r.household_floor, (std::vector<std::int16_t>{1, 2, 1, 1, 1}));
  EXPECT_EQ(r.household_group, (std::vector<std::uint8_t>{4, 1, 0, 0, 0}));
  EXPECT_EQ(r.member_age, (std::vector<std::uint8_t>{81, 40, 38, 30, 5, 3, 70, 45, 44}));
  EXPECT_EQ(r.household_first_member, (std::vector<std::uint32_t>{0, 1, 3, 6, 7, 9}));
  // Columns left out are drawn.
  for (auto f : r.household_low_income) EXPECT_EQ(f, Register::kDrawn);
  for (auto p : r.member_proficiency) EXPECT_EQ(p, Register::kDrawnValue);
  EXPECT_EQ(r.household_line, (std::vector<std::uint32_t>{5, 2, 4, 3, 6}));
}

TEST(Register, WithoutAGridColumnWholeBuildingsAreCutIntoTheTargetNumberOfGrids) {
  // 40 households in buildings of 16, 12 and 12; households_per_grid 20: round(40 / 20) = 2
  // grids. A building goes to the grid its first household falls into: A (from household 0) and
  // B (from 16, below the cut at 20) to the first, C (from 28) to the second.
  std::string csv = "household,building,group,ages\n";
  for (int i = 0; i < 40; ++i)
    csv += "h" + std::to_string(i) + "," + (i < 16 ? "A" : i < 28 ? "B" : "C") + ",Han,40\n";
  const RegisterScenario s(csv, "  households_per_grid: 20\n  households_per_stairwell: 6\n");
  const auto loaded = s.load();
  const Register& r = *loaded.scenario.community.household_register;
  EXPECT_FALSE(r.grids_given);
  EXPECT_EQ(r.grid_names, (std::vector<std::string>{"grid_01", "grid_02"}));
  EXPECT_EQ(r.grid_first_building, (std::vector<std::uint32_t>{0, 2, 3}));
  // Stairwells of households_per_stairwell (6) in the file's order: A 6+6+4, B 6+6, C 6+6.
  EXPECT_EQ(r.stairwell_first_household,
            (std::vector<std::uint32_t>{0, 6, 12, 16, 22, 28, 34, 40}));
  EXPECT_EQ(grid_count(loaded.scenario.community), 2u);
}

TEST(Register, GivenValuesAreKeptAndOneValueServesEveryMember) {
  const RegisterScenario s(
      "household,building,group,ages,size,low_income,proficiency,digital,building_age\n"
      "h1,B1,Hui,70;68,2,1,0.3,0;1,40\n"
      "h2,B1,Han,35,,,,,40\n");
  const auto loaded = s.load();
  const Register& r = *loaded.scenario.community.household_register;
  EXPECT_EQ(r.household_low_income, (std::vector<std::int8_t>{1, Register::kDrawn}));
  EXPECT_EQ(r.member_proficiency, (std::vector<float>{0.3f, 0.3f, Register::kDrawnValue}));
  EXPECT_EQ(r.member_digital, (std::vector<std::int8_t>{0, 1, Register::kDrawn}));
  EXPECT_EQ(r.building_age, (std::vector<float>{40.0f}));
}

TEST(Register, QuotedFieldsByteOrderMarkAndWindowsLineEndsAreRead) {
  const RegisterScenario s(
      "\xEF\xBB\xBFhousehold,building,group,ages\r\n"
      "\"Smith, J.\",\"Block \"\"7\"\"\",Han,40\r\n"
      "\r\n"
      "h2,\"Block \"\"7\"\"\",Hui,\"33;2\"\r\n");
  const auto loaded = s.load();
  const Register& r = *loaded.scenario.community.household_register;
  EXPECT_EQ(r.household_names, (std::vector<std::string>{"Smith, J.", "h2"}));
  EXPECT_EQ(r.building_names, (std::vector<std::string>{"Block \"7\""}));
  EXPECT_EQ(r.members(), 3u);
}

TEST(Register, CsvTextOfARegisterReadsBackToTheSameRegister) {
  const RegisterScenario s(
      "household,grid,building,stairwell,floor,group,ages,low_income,proficiency,digital,"
      "building_age\n"
      "\"a,1\",G1,B1,s1,1,Hui,70;68,1,0.3;0.9,0;1,40.5\n"
      "a2,G1,B1,s1,2,Han,35,,,,40.5\n"
      "a3,G2,B2,s1,-1,Tibetan,8;40,0,0.25,,12\n");
  const auto loaded = s.load();
  const Register& first = *loaded.scenario.community.household_register;
  const std::string text = register_csv(first, loaded.scenario.community);
  const RegisterScenario again(text);
  const auto reloaded = again.load();
  const Register& second = *reloaded.scenario.community.household_register;
  EXPECT_EQ(second.household_names, first.household_names);
  EXPECT_EQ(second.grid_names, first.grid_names);
  EXPECT_EQ(second.building_names, first.building_names);
  EXPECT_EQ(second.stairwell_first_household, first.stairwell_first_household);
  EXPECT_EQ(second.household_floor, first.household_floor);
  EXPECT_EQ(second.household_group, first.household_group);
  EXPECT_EQ(second.household_low_income, first.household_low_income);
  EXPECT_EQ(second.member_age, first.member_age);
  EXPECT_EQ(second.member_proficiency, first.member_proficiency);
  EXPECT_EQ(second.member_digital, first.member_digital);
  EXPECT_EQ(second.building_age, first.building_age);
  EXPECT_EQ(register_csv(second, loaded.scenario.community), text);
}

TEST(Register, APathIsRelativeToTheFileThatNamesIt) {
  test::TempDir dir;
  std::filesystem::create_directory(dir / "data");
  test::write_file(dir / "data" / "h.csv", "household,building,group,ages\nh1,B1,Han,40\n");
  test::write_file(dir / "base.yaml", "community:\n  register: data/h.csv\n");
  std::filesystem::create_directory(dir / "arm");
  test::write_file(dir / "arm" / "a.yaml", "extends: ../base.yaml\n");
  const auto loaded = load_scenario(dir / "arm" / "a.yaml");
  EXPECT_EQ(loaded.scenario.community.household_register->file, (dir / "data" / "h.csv").string());
  EXPECT_EQ(loaded.scenario.community.households, 1);
}

TEST(Register, AFileThatCannotBeReadIsReportedAtTheKey) {
  test::TempDir dir;
  test::write_file(dir / "s.yaml", "community:\n  name: x\n  register: missing.csv\n");
  try {
    load_scenario(dir / "s.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(*e.where().file, (dir / "s.yaml").string());
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.key_path(), "community.register");
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
  }
  test::write_file(dir / "f.yaml", "community:\n  register: .\n");
  try {
    load_scenario(dir / "f.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}

TEST(Register, AHouseholdCountBesideTheRegisterMustAgreeWithIt) {
  const std::string csv = "household,building,group,ages\nh1,B1,Han,40\nh2,B1,Han,41\n";
  const RegisterScenario wrong(csv, "  households: 3\n");
  const ScenarioError e = error_of(wrong);
  EXPECT_EQ(e.key_path(), "community.households");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_NE(std::string(e.what()).find("has 2 households"), std::string::npos) << e.what();
  EXPECT_EQ(RegisterScenario(csv, "  households: 2\n").load().scenario.community.households, 2);
  // Written anywhere else (a base, a child, --set) it must agree too; a default gives way.
  test::TempDir dir;
  test::write_file(dir / "h.csv", csv);
  test::write_file(dir / "base.yaml", "community:\n  households: 5025\n");
  test::write_file(dir / "s.yaml", "extends: base.yaml\ncommunity:\n  register: h.csv\n");
  EXPECT_THROW(load_scenario(dir / "s.yaml"), ScenarioError);
  test::write_file(dir / "named.yaml", "community:\n  register: h.csv\n");
  test::write_file(dir / "child.yaml", "extends: named.yaml\ncommunity:\n  households: 7\n");
  EXPECT_THROW(load_scenario(dir / "child.yaml"), ScenarioError);
  try {
    load_scenario(dir / "named.yaml", {"community.households=3"});
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(*e.where().file, "--set community.households=3");
  }
  // The resolved scenario holds the count that was run.
  const auto loaded = load_scenario(dir / "named.yaml");
  EXPECT_NE(loaded.resolved_yaml.find("households: 2\n"), std::string::npos);
}

// Every class of bad register: where it is reported and what the message says.
TEST(Register, EveryBadRowIsReportedAtItsLineAndColumn) {
  const std::string h = kHeader;
  expect_row_error("", 1, 0, "the register is empty");
  expect_row_error(h, 1, 0, "a header but no households");
  expect_row_error("household,building,ages\nh1,B1,40\n", 1, 0, "no column 'group'");
  expect_row_error("household,bulding,group,ages\n", 1, 11, "did you mean 'building'?");
  expect_row_error("household,building,group,ages,group\n", 1, 31, "column 'group' given twice");
  expect_row_error(h + "h1,G,B1,1,1,Han\n", 2, 0, "this row has 6 fields, the header 7");
  expect_row_error(h + "h1,G,\"B1,1,1,Han,40\n", 2, 6, "a quoted field is never closed");
  expect_row_error(h + "h1,G,B\"1,1,1,Han,40\n", 2, 7, "a '\"' inside an unquoted field");
  expect_row_error(h + "h1,G,\"B1\"x,1,1,Han,40\n", 2, 10, "unexpected text after a quoted field");
  expect_row_error(h + "h1,G, ,1,1,Han,40\n", 2, 6, "household 'h1', column 'building': empty");
  expect_row_error(h + "h1,G,B1,1,1,Tibetn,40\n", 2, 13, "did you mean 'Tibetan'?");
  expect_row_error(h + "h1,G,B1,1,1,Han,40;x\n", 2, 17, "column 'ages': 'x' is not an age");
  expect_row_error(h + "h1,G,B1,1,1,Han,130\n", 2, 17, "'130' is not an age");
  expect_row_error(h + "h1,G,B1,1,1,Han,\n", 2, 17, "column 'ages': empty");
  expect_row_error(h + "h1,G,B1,1,x,Han,40\n", 2, 11, "'x' is not a floor");
  expect_row_error(h + "h1,G,B1,1,1,Han,40\nh2,G,B1,1,,Han,40\n", 3, 0,
                   "empty, but the first row gives a floor");
  expect_row_error(h + "h1,G,B1,1,1,Han,40\nh1,G,B1,1,2,Han,40\n", 3, 0,
                   "household 'h1', column 'household': id given twice");
  expect_row_error(h + "h1,G,B1,1,1,Han,40\nh2,H,B1,1,2,Han,40\n", 3, 0,
                   "building 'B1' is in grid 'G' on line 2");
  const std::string full =
      "household,building,group,ages,size,low_income,proficiency,digital,"
      "building_age\n";
  expect_row_error(full + "h1,B1,Han,40;41,3,,,,\n", 2, 17, "size 3 but 2 ages");
  expect_row_error(full + "h1,B1,Han,40,1,2,,,\n", 2, 16, "column 'low_income': '2' is not 0 or 1");
  expect_row_error(full + "h1,B1,Han,40,1,,1.5,,\n", 2, 17, "'1.5' is not a proficiency");
  expect_row_error(full + "h1,B1,Han,40;41;3,,,0.5;0.6,,\n", 2, 21, "2 values for 3 members");
  expect_row_error(full + "h1,B1,Han,40,,,,yes,\n", 2, 17, "column 'digital': 'yes' is not 0 or 1");
  expect_row_error(full + "h1,B1,Han,40,,,,,old\n", 2, 18, "'old' is not a building age");
  expect_row_error(full + "h1,B1,Han,40,,,,,30\nh2,B1,Han,40,,,,,31\n", 3, 0,
                   "building 'B1' has another age on line 2");
}

// Places after a byte-order mark; quoted line breaks; text that is not UTF-8 (a GBK
// export); rows of empty fields only (as spreadsheets leave them) are skipped.
TEST(Register, PlacesStayRightAndTextMustBeUtf8) {
  const std::string h = kHeader;
  // A line break inside quotes is read as part of the field, and refused there: no name or
  // value of a register has one.
  expect_row_error(h + "h1,G,\"B\n1\",1,1,Han,40\n", 2, 6, "has a control character");
  expect_row_error(h + "h1,G,\"B\r\n1\",1,1,Han,40\n", 2, 6, "has a control character");
  expect_row_error("\xEF\xBB\xBFhousehold,bulding,group,ages\n", 1, 11, "did you mean 'building'?");
  expect_row_error(h + "h1,G,B1,1,1,Han,40\nh2,G,\xC4\xFA,1,1,Han,40\n", 3, 6, "not UTF-8 text");
  const RegisterScenario s(h + ",,,,,,\nh1,G,B1,1,1,Han,40\n,,,,,,\n");
  const auto loaded = s.load();
  EXPECT_EQ(loaded.scenario.community.households, 1);
  // Chinese names are UTF-8 text like any other.
  const RegisterScenario zh(h + "\xE4\xB8\x80\xE6\x88\xB7,\xE5\x8C\x97,B1,1,1,Han,40\n");
  EXPECT_EQ(zh.load().scenario.community.household_register->grid_names[0], "\xE5\x8C\x97");
}

TEST(Register, AnAgeOutsideEveryBandIsRefused) {
  // The default bands end at 99.
  expect_row_error(std::string(kHeader) + "h1,G,B1,1,1,Han,105\n", 2, 17,
                   "age 105 is in no band of community.age_bands");
}

}  // namespace
}  // namespace commsim::scenario
