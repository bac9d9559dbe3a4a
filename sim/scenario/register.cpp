#include "sim/scenario/register.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>

#include "sim/core/random.hpp"
#include "sim/scenario/csv.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::scenario {

namespace {

constexpr std::size_t kMaxMembers = 50;  // a household of more is a data error, not a household
constexpr int kMaxAge = 120;
// community.households' own bound, and a file size no such register reaches (about 80 bytes a
// household): a larger file is refused before it is read.
constexpr std::size_t kMaxHouseholds = 10'000'000;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{2} << 30;

enum Column : std::size_t {
  kHousehold,
  kGrid,
  kBuilding,
  kStairwell,
  kFloor,
  kGroup,
  kAges,
  kSize,
  kLowIncome,
  kProficiency,
  kDigital,
  kBuildingAge,
  kColumns
};

}  // namespace

const std::vector<RegisterColumn>& register_columns() {
  // In Column's order.
  static const std::vector<RegisterColumn> columns = {
      {"household", true, "The household's id, unique in the register (any text)."},
      {"grid", false,
       "The grid the household's building belongs to (any text; one grid per building). Without "
       "this column, buildings are cut into at most round(households / "
       "community.households_per_grid) grids in the file's order, whole buildings to a grid."},
      {"building", true, "The building's id (any text), unique in the community."},
      {"stairwell", false,
       "The stairwell (unit) within its building (any text). Without it, a building's households "
       "are cut into stairwells of community.households_per_stairwell in the file's order."},
      {"floor", false,
       "The floor the dwelling is on (whole number, -5 to 200), on every row or on none. With "
       "floors, the neighbours of "
       "the embedding mechanism are the dwellings one floor up or down and one door aside; "
       "without them, a stairwell's dwellings fill embedding.doors_per_floor doors a floor in "
       "the file's order."},
      {"group", true, "The household's ethnic group: a name in community.groups."},
      {"ages", true,
       "The members' ages in whole years (0 to 120), head first, separated by ';' (\"67;64\"). "
       "Each age must lie in a band of community.age_bands."},
      {"size", false, "The number of members; if given, it must equal the number of ages."},
      {"low_income", false,
       "1 for a low-income household, 0 if not; empty: drawn from the group's low_income_share."},
      {"proficiency", false,
       "Common-language proficiency (0 to 1; low below 0.5): one value for every member or one "
       "per member separated by ';'; empty: drawn from the group's low_proficiency."},
      {"digital", false,
       "1 if the member can use the reporting app, 0 if not: one value for every member or one "
       "per member separated by ';'; empty: drawn from the age band's and group's access."},
      {"building_age", false,
       "The building's age in years (0 to 200), the same on every row of a building; empty: "
       "drawn between community.building_age_min and building_age_max."},
  };
  return columns;
}

std::string register_markdown() {
  std::string out =
      "## Household register\n\n"
      "`community.register: households.csv` builds the community from a household register "
      "instead of the synthetic builder: a CSV file (RFC 4180: comma-separated, fields with a "
      "comma, a quote or a line break in double quotes; UTF-8, a byte-order mark allowed), the "
      "first line naming the columns in any order, then one row per household. A path is "
      "relative to the scenario file that names it. `commsim register SCENARIO.yaml -o "
      "households.csv` writes any scenario's community in this form, every column filled; "
      "`scenarios/registers/example_households.csv` is a small synthetic example "
      "(`scenarios/register_example.yaml` runs it).\n\n"
      "A `size`, `low_income`, `proficiency`, `digital` or `building_age` cell left empty, or "
      "its column left out, is drawn as the synthetic builder draws it, from the group's and age "
      "band's inputs; `grid`, `stairwell` and `floor` cells may not be empty where their column "
      "is given (floors on every row or none). The text must be UTF-8 without control characters. "
      "A path given with `--set` is relative to the working folder; a register cannot be a "
      "sweep's parameter; a count written in `community.households` must agree with it. The "
      "register's households all live there on the "
      "first day (no initial vacancies unless `embedding.initial_vacancy` is given); moves, "
      "the burn-in's included, then change who lives there as in a synthetic community (set "
      "the `embedding` rates to 0 to keep the register's households). A bad row is an error "
      "naming the file, line, column and value (exit 2, from `validate` as from `run`).\n\n"
      "| column | required | meaning |\n|---|---|---|\n";
  for (const auto& c : register_columns())
    out += std::string("| `") + c.name + "` | " + (c.required ? "yes" : "no") + " | " + c.meaning +
           " |\n";
  return out;
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (;;) {
    const auto at = s.find(';', from);
    parts.push_back(trim(s.substr(from, at == std::string::npos ? std::string::npos : at - from)));
    if (at == std::string::npos) return parts;
    from = at + 1;
  }
}

bool parse_int(const std::string& s, long& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

// A household row as read, before the rows are put in the population's order.
struct Row {
  std::string household, grid, building, stairwell;
  std::int16_t floor = Register::kNoFloor;
  std::uint8_t group = 0;
  std::int8_t low_income = Register::kDrawn;
  float building_age = Register::kDrawnValue;
  std::vector<std::uint8_t> ages;
  std::vector<float> proficiency;
  std::vector<std::int8_t> digital;
  int line = 0;
};

class RowReader {
 public:
  RowReader(const CommunitySpec& c, std::shared_ptr<const std::string> file)
      : community_(c), file_(std::move(file)) {
    for (const auto& g : c.groups) groups_.push_back(g.name);
  }

  void header(const Record& r) {
    std::vector<std::string> known;
    for (const auto& c : register_columns()) known.push_back(c.name);
    index_.assign(kColumns, kAbsent);
    check_text(r);
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const std::string name = trim(r.fields[i]);
      const auto it = std::find(known.begin(), known.end(), name);
      if (it == known.end()) {
        const std::string close = closest_name(name, known);
        std::string all;
        for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
        fail(r, i, "unknown column '" + name + "'",
             close.empty() ? "expected columns among: " + all : "did you mean '" + close + "'?");
      }
      const auto column = static_cast<std::size_t>(it - known.begin());
      if (index_[column] != kAbsent) fail(r, i, "column '" + name + "' given twice");
      index_[column] = i;
    }
    for (std::size_t c = 0; c < kColumns; ++c)
      if (register_columns()[c].required && index_[c] == kAbsent)
        throw ScenarioError(
            Location{file_, r.line, 0}, "community.register",
            std::string("the header has no column '") + register_columns()[c].name + "'",
            "a register needs the columns household, building, group and ages");
    width_ = r.fields.size();
  }

  bool has(Column c) const { return index_[c] != kAbsent; }

  Row row(const Record& r) const {
    if (r.fields.size() != width_)
      throw ScenarioError(Location{file_, r.line, 0}, "community.register",
                          "this row has " + std::to_string(r.fields.size()) +
                              " fields, the header " + std::to_string(width_),
                          "every row has one field per column; quote a field with a ','");
    check_text(r);
    Row out;
    out.line = r.line;
    out.household = required(r, kHousehold);
    out.building = required(r, kBuilding);
    if (has(kGrid)) out.grid = required(r, kGrid);
    if (has(kStairwell)) out.stairwell = required(r, kStairwell);
    const std::string group = required(r, kGroup);
    const auto g = std::find(groups_.begin(), groups_.end(), group);
    if (g == groups_.end()) {
      const std::string close = closest_name(group, groups_);
      std::string all;
      for (const auto& n : groups_) all += (all.empty() ? "" : ", ") + n;
      fail(r, index_[kGroup], "unknown group '" + group + "'",
           close.empty() ? "community.groups has: " + all : "did you mean '" + close + "'?");
    }
    out.group = static_cast<std::uint8_t>(g - groups_.begin());

    for (const auto& a : split_list(required(r, kAges))) {
      long age = 0;
      if (!parse_int(a, age) || age < 0 || age > kMaxAge)
        fail(r, index_[kAges], "'" + a + "' is not an age",
             "expected whole years from 0 to " + std::to_string(kMaxAge) + ", separated by ';'");
      if (!in_a_band(age))
        fail(r, index_[kAges], "age " + a + " is in no band of community.age_bands");
      out.ages.push_back(static_cast<std::uint8_t>(age));
    }
    if (out.ages.size() > kMaxMembers)
      fail(r, index_[kAges],
           std::to_string(out.ages.size()) + " members; at most " + std::to_string(kMaxMembers));
    const std::size_t members = out.ages.size();

    if (const auto s = cell(r, kSize)) {
      long size = 0;
      if (!parse_int(*s, size) || size < 1)
        fail(r, index_[kSize], "'" + *s + "' is not a household size", "expected a whole number");
      if (static_cast<std::size_t>(size) != members)
        fail(r, index_[kSize],
             "size " + *s + " but " + std::to_string(members) + " ages in column 'ages'");
    }
    if (const auto s = cell(r, kFloor)) {
      long floor = 0;
      if (!parse_int(*s, floor) || floor < -5 || floor > 200)
        fail(r, index_[kFloor], "'" + *s + "' is not a floor",
             "expected a whole number, -5 to 200");
      out.floor = static_cast<std::int16_t>(floor);
    }
    if (const auto s = cell(r, kLowIncome)) out.low_income = flag(r, kLowIncome, *s);
    if (const auto s = cell(r, kBuildingAge)) {
      double age = 0;
      if (!parse_double(*s, age) || age < 0 || age > 200)
        fail(r, index_[kBuildingAge], "'" + *s + "' is not a building age",
             "expected years, 0 to 200");
      out.building_age = static_cast<float>(age);
    }
    for (const auto& v : per_member(r, kProficiency, members)) {
      double p = 0;
      if (!parse_double(v, p) || p < 0 || p > 1)
        fail(r, index_[kProficiency], "'" + v + "' is not a proficiency", "expected 0 to 1");
      out.proficiency.push_back(static_cast<float>(p));
    }
    for (const auto& v : per_member(r, kDigital, members))
      out.digital.push_back(flag(r, kDigital, v));
    return out;
  }

  [[noreturn]] void fail(const Record& r, std::size_t field, const std::string& problem,
                         const std::string& hint = {}) const {
    const auto& names = register_columns();
    std::string column;
    for (std::size_t c = 0; c < kColumns; ++c)
      if (index_.size() == kColumns && index_[c] == field) column = names[c].name;
    std::string what = problem;
    if (!column.empty() && r.line > 1) {
      const std::string who =
          index_[kHousehold] < r.fields.size() ? trim(r.fields[index_[kHousehold]]) : "";
      what =
          (who.empty() ? "" : "household '" + who + "', ") + "column '" + column + "': " + problem;
    }
    const bool known = field < r.columns.size();
    throw ScenarioError(
        Location{file_, known ? r.lines[field] : r.line, known ? r.columns[field] : 0},
        "community.register", what, hint);
  }

 private:
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

  void check_text(const Record& r) const {
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (!clean_utf8(r.fields[i]))
        fail(r, i, "a field that is not UTF-8 text, or has a control character",
             "save the register as UTF-8 CSV (a GBK or GB18030 export must be converted), one "
             "household a line");
  }

  // The trimmed cell; none when the column is absent or the cell empty.
  std::optional<std::string> cell(const Record& r, Column c) const {
    if (!has(c)) return std::nullopt;
    std::string v = trim(r.fields[index_[c]]);
    if (v.empty()) return std::nullopt;
    return v;
  }

  std::string required(const Record& r, Column c) const {
    const std::string v = trim(r.fields[index_[c]]);
    if (v.empty()) fail(r, index_[c], "empty", "every row needs a value here");
    return v;
  }

  std::int8_t flag(const Record& r, Column c, const std::string& v) const {
    if (v == "0") return 0;
    if (v == "1") return 1;
    fail(r, index_[c], "'" + v + "' is not 0 or 1");
  }

  // One value for every member, or one per member; none when the cell is empty.
  std::vector<std::string> per_member(const Record& r, Column c, std::size_t members) const {
    const auto s = cell(r, c);
    if (!s) return {};
    auto values = split_list(*s);
    if (values.size() == 1) values.assign(members, values[0]);
    if (values.size() != members)
      fail(r, index_[c],
           std::to_string(values.size()) + " values for " + std::to_string(members) + " members",
           "give one value for all or one per age in column 'ages'");
    return values;
  }

  bool in_a_band(long age) const {
    return std::any_of(community_.age_bands.begin(), community_.age_bands.end(),
                       [&](const AgeBand& b) { return b.from <= age && age <= b.to; });
  }

  const CommunitySpec& community_;
  std::shared_ptr<const std::string> file_;
  std::vector<std::string> groups_;
  std::vector<std::size_t> index_;
  std::size_t width_ = 0;
};

// The shortest text that reads back to the same float ("0.35", not 0.3499999940395355).
std::string float_text(float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace

std::string grid_label(std::size_t g) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "grid_%02zu", g + 1);
  return buf;
}

std::shared_ptr<const Register> read_register(const std::filesystem::path& file,
                                              const CommunitySpec& community,
                                              const Location& where) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw ScenarioError(where, "community.register",
                        "'" + file.string() + "' is not a regular file",
                        "give the path of a CSV file, relative to the scenario file");
  if (std::filesystem::is_regular_file(status) &&
      std::filesystem::file_size(file, ec) > kMaxFileBytes && !ec)
    throw ScenarioError(where, "community.register", "'" + file.string() + "' is larger than 2 GiB",
                        "a register of 10,000,000 households (community.households' bound) is "
                        "well under 1 GiB");
  std::string text;
  try {
    text = read_text_file(file);
  } catch (const ScenarioError& e) {
    throw ScenarioError(where, "community.register",
                        "cannot read the register '" + file.string() + "': " + e.problem(),
                        "give the path of a CSV file, relative to the scenario file");
  }
  // A sweep's points and a calibration's particles name the same register many times: its rows
  // are parsed and held once while any scenario holds them, keyed by the bytes (not the file's
  // time, which a quick edit may not change) and what the reading depends on besides them.
  std::string key = hex64(fnv1a64(text)) + '\n' + file.string();
  for (const auto& g : community.groups) key += '\n' + g.name;
  for (const auto& b : community.age_bands)
    key += '\n' + std::to_string(b.from) + '-' + std::to_string(b.to);
  key += '\n' + std::to_string(community.households_per_grid) + '/' +
         std::to_string(community.households_per_stairwell);
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Register>> cache;
  {
    const std::lock_guard lock(mutex);
    if (auto held = cache[key].lock(); held && held->text == text) return held;
  }
  auto read = parse_register(std::move(text), file.string(), community);
  const std::lock_guard lock(mutex);
  cache[key] = read;
  return read;
}

std::shared_ptr<const Register> parse_register(std::string text, const std::string& file,
                                               const CommunitySpec& community) {
  auto out = std::make_shared<Register>();
  out->file = file;
  out->text = std::move(text);
  out->digest = fnv1a64(out->text);
  const auto name = std::make_shared<const std::string>(file);
  CsvReader csv(out->text, name, "community.register");
  RowReader reader(community, name);
  Record record;
  if (!csv.next(record))
    throw ScenarioError(Location{name, 1, 0}, "community.register", "the register is empty",
                        "the first line names the columns: household,building,group,ages,...");
  reader.header(record);
  std::vector<Row> rows;
  while (csv.next(record)) {
    if (rows.size() == kMaxHouseholds)
      throw ScenarioError(Location{name, record.line, 0}, "community.register",
                          "more than 10,000,000 households",
                          "community.households' bound; split the register into communities");
    rows.push_back(reader.row(record));
  }
  if (rows.empty())
    throw ScenarioError(Location{name, record.line, 0}, "community.register",
                        "the register has a header but no households");

  const auto fail_at = [&](const Row& r, Column c, const std::string& problem,
                           const std::string& hint = {}) {
    throw ScenarioError(
        Location{name, r.line, 0}, "community.register",
        "household '" + r.household + "', column '" + register_columns()[c].name + "': " + problem,
        hint);
  };

  // Ids: households unique; a building in one grid, with one age; floors on every row or none.
  std::map<std::string, int> household_line;
  for (const auto& r : rows)
    if (!household_line.emplace(r.household, r.line).second)
      fail_at(r, kHousehold, "id given twice",
              "first on line " + std::to_string(household_line[r.household]));
  const bool floors = rows.front().floor != Register::kNoFloor;
  for (const auto& r : rows)
    if ((r.floor != Register::kNoFloor) != floors)
      fail_at(
          r, kFloor,
          floors ? "empty, but the first row gives a floor" : "given, but the first row has none",
          "give a floor on every row or on none");

  // Buildings in order of first appearance, each with its grid, age and rows.
  struct Building {
    std::string grid;
    float age = Register::kDrawnValue;
    std::size_t first_row = 0;
    std::vector<std::size_t> rows;
  };
  std::vector<Building> buildings;
  std::map<std::string, std::size_t> building_index;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const auto [it, added] = building_index.emplace(r.building, buildings.size());
    if (added) buildings.push_back({r.grid, r.building_age, i, {}});
    Building& b = buildings[it->second];
    if (b.grid != r.grid)
      fail_at(r, kGrid,
              "building '" + r.building + "' is in grid '" + b.grid + "' on line " +
                  std::to_string(rows[b.first_row].line),
              "a building belongs to one grid");
    if (b.age != r.building_age)
      fail_at(r, kBuildingAge,
              "building '" + r.building + "' has another age on line " +
                  std::to_string(rows[b.first_row].line),
              "give the same age on every row of a building (or leave all empty)");
    b.rows.push_back(i);
  }

  // Grids: the file's, in order of first appearance; else whole buildings cut into the target
  // number, each grid taking buildings until it holds its share of the households.
  out->grids_given = !rows.front().grid.empty();
  std::vector<std::uint32_t> building_grid(buildings.size());
  std::vector<std::string> grid_names;
  if (out->grids_given) {
    std::map<std::string, std::uint32_t> index;
    for (std::size_t b = 0; b < buildings.size(); ++b) {
      const auto [it, added] =
          index.emplace(buildings[b].grid, static_cast<std::uint32_t>(grid_names.size()));
      if (added) grid_names.push_back(buildings[b].grid);
      building_grid[b] = it->second;
    }
  } else {
    const double households = static_cast<double>(rows.size());
    const auto target = static_cast<std::uint32_t>(std::max<long long>(
        1, std::llround(households / static_cast<double>(community.households_per_grid))));
    // A building goes to the grid its first household falls into; grids a large building leaves
    // empty are dropped, so grid numbers stay consecutive.
    std::size_t before = 0;
    std::uint32_t last = 0, last_cut = 0;
    for (std::size_t b = 0; b < buildings.size(); ++b) {
      const auto cut =
          static_cast<std::uint32_t>(static_cast<double>(before) * target / households);
      if (cut > last_cut) ++last, last_cut = cut;
      building_grid[b] = last;
      before += buildings[b].rows.size();
    }
    for (std::uint32_t g = 0; g <= last; ++g) grid_names.push_back(grid_label(g));
  }

  // The population's order: grid, then building (first appearance), stairwell (first appearance
  // in the building), then floor where given, then the file's order.
  std::vector<std::size_t> order(buildings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return building_grid[a] < building_grid[b];
  });
  Register& reg = *out;
  reg.grid_names = grid_names;
  reg.grid_first_building.assign(grid_names.size() + 1, 0);
  for (const std::size_t b : order) ++reg.grid_first_building[building_grid[b] + 1];
  std::partial_sum(reg.grid_first_building.begin(), reg.grid_first_building.end(),
                   reg.grid_first_building.begin());
  const auto per_stairwell = static_cast<std::size_t>(community.households_per_stairwell);
  for (const std::size_t b : order) {
    const Building& building = buildings[b];
    reg.building_names.push_back(rows[building.first_row].building);
    reg.building_age.push_back(building.age);
    // While filling, the offsets have no closing entry yet: their size is the count so far.
    reg.building_first_stairwell.push_back(
        static_cast<std::uint32_t>(reg.stairwell_first_household.size()));
    // Stairwells of this building, each a list of rows.
    std::vector<std::vector<std::size_t>> stairwells;
    if (!rows[building.first_row].stairwell.empty()) {
      std::map<std::string, std::size_t> index;
      for (const std::size_t i : building.rows) {
        const auto [it, added] = index.emplace(rows[i].stairwell, stairwells.size());
        if (added) stairwells.emplace_back();
        stairwells[it->second].push_back(i);
      }
    } else {
      for (std::size_t k = 0; k < building.rows.size(); ++k) {
        if (k % per_stairwell == 0) stairwells.emplace_back();
        stairwells.back().push_back(building.rows[k]);
      }
    }
    for (auto& s : stairwells) {
      if (floors)
        std::stable_sort(s.begin(), s.end(), [&](std::size_t a, std::size_t c) {
          return rows[a].floor < rows[c].floor;
        });
      reg.stairwell_first_household.push_back(reg.households());
      for (const std::size_t i : s) {
        const Row& r = rows[i];
        reg.household_names.push_back(r.household);
        reg.household_line.push_back(static_cast<std::uint32_t>(r.line));
        reg.household_group.push_back(r.group);
        reg.household_low_income.push_back(r.low_income);
        reg.household_floor.push_back(r.floor);
        reg.household_first_member.push_back(reg.members());
        for (std::size_t m = 0; m < r.ages.size(); ++m) {
          reg.member_age.push_back(r.ages[m]);
          reg.member_proficiency.push_back(r.proficiency.empty() ? Register::kDrawnValue
                                                                 : r.proficiency[m]);
          reg.member_digital.push_back(r.digital.empty() ? Register::kDrawn : r.digital[m]);
        }
      }
    }
  }
  reg.building_first_stairwell.push_back(
      static_cast<std::uint32_t>(reg.stairwell_first_household.size()));
  reg.stairwell_first_household.push_back(reg.households());
  reg.household_first_member.push_back(reg.members());
  return out;
}

std::string register_csv(const Register& reg, const CommunitySpec& community) {
  const auto quoted = [](const std::string& v) {
    if (v.find_first_of(",\"\n\r") == std::string::npos && trim(v) == v) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  // One value per member, separated by ';' (empty when any member's is to be drawn).
  const auto per_member = [](std::uint32_t from, std::uint32_t to, auto given, auto text) {
    std::string v;
    for (std::uint32_t m = from; m < to; ++m) {
      if (!given(m)) return std::string();
      if (m != from) v += ';';
      v += text(m);
    }
    return v;
  };
  std::string out;
  for (const auto& c : register_columns()) {
    if (!out.empty()) out += ',';
    out += c.name;
  }
  out += '\n';
  std::array<std::string, kColumns> cells;
  for (std::uint32_t g = 0; g < reg.grids(); ++g)
    for (std::uint32_t b = reg.grid_first_building[g]; b < reg.grid_first_building[g + 1]; ++b)
      for (std::uint32_t s = reg.building_first_stairwell[b];
           s < reg.building_first_stairwell[b + 1]; ++s)
        for (std::uint32_t h = reg.stairwell_first_household[s];
             h < reg.stairwell_first_household[s + 1]; ++h) {
          const std::uint32_t m0 = reg.household_first_member[h];
          const std::uint32_t m1 = reg.household_first_member[h + 1];
          cells[kHousehold] = quoted(reg.household_names[h]);
          cells[kGrid] = quoted(reg.grid_names[g]);
          cells[kBuilding] = quoted(reg.building_names[b]);
          cells[kStairwell] = std::to_string(s - reg.building_first_stairwell[b] + 1);
          cells[kFloor] = reg.household_floor[h] == Register::kNoFloor
                              ? std::string()
                              : std::to_string(reg.household_floor[h]);
          cells[kGroup] = quoted(community.groups[reg.household_group[h]].name);
          cells[kAges] = per_member(
              m0, m1, [](std::uint32_t) { return true; },
              [&](std::uint32_t m) { return std::to_string(reg.member_age[m]); });
          cells[kSize] = std::to_string(m1 - m0);
          cells[kLowIncome] = reg.household_low_income[h] == Register::kDrawn
                                  ? std::string()
                                  : std::to_string(reg.household_low_income[h]);
          cells[kProficiency] = per_member(
              m0, m1,
              [&](std::uint32_t m) { return reg.member_proficiency[m] != Register::kDrawnValue; },
              [&](std::uint32_t m) { return float_text(reg.member_proficiency[m]); });
          cells[kDigital] = per_member(
              m0, m1, [&](std::uint32_t m) { return reg.member_digital[m] != Register::kDrawn; },
              [&](std::uint32_t m) { return std::to_string(reg.member_digital[m]); });
          cells[kBuildingAge] = reg.building_age[b] == Register::kDrawnValue
                                    ? std::string()
                                    : float_text(reg.building_age[b]);
          for (std::size_t c = 0; c < kColumns; ++c) {
            if (c > 0) out += ',';
            out += cells[c];
          }
          out += '\n';
        }
  return out;
}

}  // namespace commsim::scenario
