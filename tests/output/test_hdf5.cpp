// The HDF5 writer against docs/output.md: what is written reads back bit for bit, every dataset
// carries the attributes a reader needs, and a file appears under its final name only when whole.

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "sim/output/hdf5.hpp"
#include "sim/output/preflight.hpp"
#include "support/test_support.hpp"

namespace commsim::output {
namespace {

namespace fs = std::filesystem;
using test::chunk_offset;
using test::flip_bytes;
using test::header_offset;
using test::SmallDisk;

class Hdf5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("commsim-hdf5-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

std::vector<std::uint64_t> bits(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  for (double v : values) out.push_back(std::bit_cast<std::uint64_t>(v));
  return out;
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> folder_entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<double> sequence(std::size_t n, double scale) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<double>(i) + 0.25;
  return v;
}

const Dimension kGrid{"grid", {"g1", "g2"}};
const Dimension kGroup{"group", {"Han", "Hui", "Uyghur"}};
const Dimension kNeed{"need_type", {"repair", "dispute", "welfare", "paperwork"}};

// A run with every shape docs/output.md allows: series of 0, 1 and 3 axes, scalar and 1-axis
// summaries, a table of each field kind and an empty table.
RunResult sample_run() {
  RunResult r;
  r.days = 5;
  r.start_weekday = 3;
  Metric population{"population", "residents", "Residents living in the community.", {}, {}};
  population.values = {1000, 1001, 1002, 1003, 1004};
  Metric trust{
      "trust", "score 0-1", "Mean trust in the grid worker.", {kGroup}, sequence(15, 0.01)};
  // Values a careless writer would lose: NaN, -0, the smallest denormal.
  trust.values[2] = std::numeric_limits<double>::quiet_NaN();
  trust.values[3] = -0.0;
  trust.values[4] = std::numeric_limits<double>::denorm_min();
  Metric needs{"needs_arisen",
               "needs",
               "Needs that arose that day.",
               {kGrid, kGroup, kNeed},
               sequence(5 * 24, 1.0)};
  r.timeseries = {population, trust, needs};  // not in name order: the order must survive
  Metric closure{"closure_rate", "share", "Share of work orders closed.", {}, {0.953}};
  Metric by_group{
      "trust_end", "score 0-1", "Trust at the end of the run.", {kGroup}, {0.5, 0.25, 0.125}};
  r.summaries = {closure, by_group};
  Table orders{"work_orders", "One row per work order.", {}};
  orders.columns.push_back({"id", "", "Work order number.", std::vector<std::int64_t>{0, 1, -7}});
  orders.columns.push_back(
      {"hours", "hours", "Time to close.", std::vector<double>{1.5, 2.0, 8.25}});
  orders.columns.push_back(
      {"seed", "", "Stream seed.",
       std::vector<std::uint64_t>{1, std::numeric_limits<std::uint64_t>::max(), 1ULL << 63}});
  Table empty{"escalations", "One row per escalation.", {}};
  empty.columns.push_back({"day", "days", "Day escalated.", std::vector<std::int64_t>{}});
  empty.columns.push_back({"wait", "days", "Days waited.", std::vector<double>{}});
  r.tables = {orders, empty};
  return r;
}

Provenance sample_provenance() {
  Provenance p;
  p.scenario_text = "name: 金花园\nextends: baseline.yaml\n# Ünïcödé, ئۇيغۇر\n";
  p.scenario_resolved = std::string(200000, 'x');  // beyond the 64 KiB of an object header
  p.overrides = {"community.name=金花园", "staffing.per_10k=3.5", ""};
  p.seed = std::numeric_limits<std::uint64_t>::max() - 1;  // needs all 64 bits
  p.run = 7;
  p.commsim_version = "0.1.0";
  p.git_commit = "unknown";
  p.compiler = "GCC 12.2.0";
  p.build_type = "Release";
  p.libraries = "HDF5 1.10.8";
  p.start_time = "2026-11-23T05:00:00Z";
  p.wall_seconds = 12.5;
  p.threads = 4;
  return p;
}

void expect_same_metrics(const std::vector<Metric>& a, const std::vector<Metric>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].name);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].unit, b[i].unit);
    EXPECT_EQ(a[i].description, b[i].description);
    ASSERT_EQ(a[i].dims.size(), b[i].dims.size());
    for (std::size_t d = 0; d < a[i].dims.size(); ++d) {
      EXPECT_EQ(a[i].dims[d].name, b[i].dims[d].name);
      EXPECT_EQ(a[i].dims[d].labels, b[i].dims[d].labels);
    }
    EXPECT_EQ(bits(a[i].values), bits(b[i].values));
  }
}

// The dataset's layout and filters, as a reader's HDF5 sees them.
struct Layout {
  H5D_layout_t layout;
  std::vector<hsize_t> shape;
  std::vector<hsize_t> chunk;
  std::vector<H5Z_filter_t> filters;
  unsigned deflate_level = 0;
};

Layout layout_of(hid_t parent, const std::string& name) {
  const h5::Dataset ds{H5Dopen2(parent, name.c_str(), H5P_DEFAULT)};
  const h5::Dataspace space{H5Dget_space(ds)};
  Layout out;
  out.shape.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, out.shape.data(), nullptr);
  const h5::PropertyList plist{H5Dget_create_plist(ds)};
  out.layout = H5Pget_layout(plist);
  if (out.layout == H5D_CHUNKED) {
    out.chunk.resize(out.shape.size());
    H5Pget_chunk(plist, static_cast<int>(out.chunk.size()), out.chunk.data());
  }
  for (int i = 0; i < H5Pget_nfilters(plist); ++i) {
    unsigned flags = 0;
    std::size_t n = 1;
    unsigned values[1] = {0};
    out.filters.push_back(
        H5Pget_filter2(plist, static_cast<unsigned>(i), &flags, &n, values, 0, nullptr, nullptr));
    if (out.filters.back() == H5Z_FILTER_DEFLATE) out.deflate_level = values[0];
  }
  return out;
}

TEST_F(Hdf5Test, RunReadsBackExactlyInTheOrderWritten) {
  const RunResult written = sample_run();
  const auto path = dir_ / "run.h5";
  write_run_file(path, written, sample_provenance());

  const h5::File file = h5::File::open(path);
  const RunResult read = read_run(file);
  EXPECT_EQ(read.days, 5);
  EXPECT_EQ(read.start_weekday, 3);
  expect_same_metrics(written.timeseries, read.timeseries);
  expect_same_metrics(written.summaries, read.summaries);
  ASSERT_EQ(read.tables.size(), 2u);
  for (std::size_t t = 0; t < 2; ++t) {
    SCOPED_TRACE(written.tables[t].name);
    EXPECT_EQ(read.tables[t].name, written.tables[t].name);
    EXPECT_EQ(read.tables[t].description, written.tables[t].description);
    ASSERT_EQ(read.tables[t].columns.size(), written.tables[t].columns.size());
    for (std::size_t c = 0; c < written.tables[t].columns.size(); ++c) {
      const Column& a = written.tables[t].columns[c];
      const Column& b = read.tables[t].columns[c];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.unit, b.unit);
      EXPECT_EQ(a.description, b.description);
      EXPECT_EQ(a.data.index(), b.data.index()) << "column " << a.name << " changed type";
      EXPECT_EQ(a.data, b.data);
    }
  }
}

TEST_F(Hdf5Test, MetricAttributesNameEveryAxisAndItsLabels) {
  const auto path = dir_ / "run.h5";
  write_run_file(path, sample_run(), sample_provenance());
  const h5::File file = h5::File::open(path);

  const h5::Group series = h5::open_group(file, "/timeseries");
  EXPECT_EQ(h5::read_attribute<std::int64_t>(series, "days"), 5);
  EXPECT_EQ(h5::read_attribute<std::int64_t>(series, "start_weekday"), 3);
  {
    const h5::Attribute days{H5Aopen(series, "days", H5P_DEFAULT)};
    const h5::Datatype type{H5Aget_type(days)};
    EXPECT_TRUE(H5Tequal(type, H5T_STD_I64LE) > 0);
  }

  const h5::Group needs_parent = h5::open_group(file, "timeseries");
  EXPECT_EQ(layout_of(needs_parent, "needs_arisen").shape, (std::vector<hsize_t>{5, 2, 3, 4}));
  EXPECT_EQ(layout_of(needs_parent, "population").shape, (std::vector<hsize_t>{5}));
  const h5::Dataset needs{H5Dopen2(file, "/timeseries/needs_arisen", H5P_DEFAULT)};
  EXPECT_EQ(h5::read_attribute<std::string>(needs, "unit"), "needs");
  EXPECT_EQ(h5::read_attribute<std::string>(needs, "description"), "Needs that arose that day.");
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(needs, "dims"),
            (std::vector<std::string>{"day", "grid", "group", "need_type"}));
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(needs, "labels_group"), kGroup.labels);
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(needs, "labels_need_type"), kNeed.labels);
  EXPECT_FALSE(h5::has_attribute(needs, "labels_day"));

  const h5::Dataset closure{H5Dopen2(file, "/summary/closure_rate", H5P_DEFAULT)};
  const h5::Dataspace scalar{H5Dget_space(closure)};
  EXPECT_EQ(H5Sget_simple_extent_type(scalar), H5S_SCALAR);
  EXPECT_TRUE(h5::read_attribute<std::vector<std::string>>(closure, "dims").empty());

  const h5::Dataset orders{H5Dopen2(file, "/events/work_orders", H5P_DEFAULT)};
  EXPECT_EQ(h5::read_attribute<std::string>(orders, "description"), "One row per work order.");
  EXPECT_EQ(h5::read_attribute<std::string>(orders, "unit_hours"), "hours");
  EXPECT_EQ(h5::read_attribute<std::string>(orders, "description_seed"), "Stream seed.");
  const h5::Datatype row{H5Dget_type(orders)};
  ASSERT_EQ(H5Tget_nmembers(row), 3);
  const h5::Datatype id{H5Tget_member_type(row, 0)}, hours{H5Tget_member_type(row, 1)},
      seed{H5Tget_member_type(row, 2)};
  EXPECT_TRUE(H5Tequal(id, H5T_STD_I64LE) > 0);
  EXPECT_TRUE(H5Tequal(hours, H5T_IEEE_F64LE) > 0);
  EXPECT_TRUE(H5Tequal(seed, H5T_STD_U64LE) > 0);
}

TEST_F(Hdf5Test, SeriesAndTablesAreChunkedAndCompressed) {
  RunResult run = sample_run();
  // Large enough that a chunk must be smaller than the dataset: 400 days x 20000 cells.
  Metric big{"big",
             "needs",
             "A large series.",
             {{"cell", std::vector<std::string>(20000, "c")}},
             std::vector<double>(400 * 20000, 1.0)};
  run.days = 400;
  run.timeseries = {big};
  // A table of 50,000 rows x 3 int64 columns (1.2 MB).
  Table rows;
  rows.name = "many";
  rows.description = "A large table.";
  for (const char* c : {"a", "b", "c"})
    rows.columns.push_back({c, "", "", std::vector<std::int64_t>(50000, 7)});
  run.tables.push_back(rows);
  const auto path = dir_ / "run.h5";
  write_run_file(path, run, sample_provenance());
  const h5::File file = h5::File::open(path);

  const std::vector<std::pair<std::string, std::size_t>> chunked = {{"/timeseries/big", 8},
                                                                    {"/events/many", 24}};
  for (const auto& [name, element_bytes] : chunked) {
    SCOPED_TRACE(name);
    const Layout l = layout_of(file, name);
    ASSERT_EQ(l.layout, H5D_CHUNKED);
    EXPECT_EQ(l.filters, (std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE,
                                                    H5Z_FILTER_FLETCHER32}));
    EXPECT_EQ(l.deflate_level, 1u);
    hsize_t chunk_values = 1;
    for (std::size_t i = 0; i < l.shape.size(); ++i) {
      EXPECT_GE(l.chunk[i], 1u);
      EXPECT_LE(l.chunk[i], l.shape[i]);
      chunk_values *= l.chunk[i];
    }
    EXPECT_LE(chunk_values * element_bytes, 256u * 1024u);
  }
  // A whole day of the big series fits in a chunk; split along days only.
  EXPECT_EQ(layout_of(file, "/timeseries/big").chunk, (std::vector<hsize_t>{1, 20000}));
  // 24-byte rows: 10,922 to a 256 KiB chunk.
  EXPECT_EQ(layout_of(file, "/events/many").chunk, (std::vector<hsize_t>{10922}));
  // Small data (up to 4 KiB: summaries, a three-row table) is compact, without filters.
  for (const char* small : {"/events/work_orders", "/summary/closure_rate"}) {
    SCOPED_TRACE(small);
    const Layout l = layout_of(file, small);
    EXPECT_EQ(l.layout, H5D_COMPACT);
    EXPECT_TRUE(l.filters.empty());
  }
  // HDF5 cannot chunk a zero-length axis: an empty table is contiguous, and still readable.
  EXPECT_EQ(layout_of(file, "/events/escalations").layout, H5D_CONTIGUOUS);
  const h5::Group events = h5::open_group(file, "events");
  EXPECT_EQ(read_table(events, "escalations").columns.at(1).rows(), 0u);
}

TEST_F(Hdf5Test, RunWithoutDaysOrTablesReadsBack) {
  RunResult run;
  run.timeseries = {Metric{"needs", "needs", "Needs.", {kGroup}, {}}};
  const auto path = dir_ / "empty.h5";
  write_run_file(path, run, sample_provenance());
  const h5::File file = h5::File::open(path);
  const RunResult read = read_run(file);
  EXPECT_EQ(read.days, 0);
  ASSERT_EQ(read.timeseries.size(), 1u);
  EXPECT_EQ(read.timeseries[0].dims.at(0).labels, kGroup.labels);
  EXPECT_TRUE(read.timeseries[0].values.empty());
  EXPECT_TRUE(read.summaries.empty());
  EXPECT_TRUE(read.tables.empty());
  EXPECT_TRUE(h5::exists(file, "events"));
}

// A region run (docs/output.md, "A region run"): each community and subdistrict under its own
// group, laid out like a run; the region's tables under /region.
TEST_F(Hdf5Test, RegionRunReadsBackEveryPartInOrder) {
  const RunResult written = test::region_run();
  const auto path = dir_ / "region.h5";
  write_run_file(path, written, sample_provenance());
  const h5::File file = h5::File::open(path);
  const RunResult read = read_run(file);
  EXPECT_TRUE(test::same_run(written, read));

  EXPECT_EQ(h5::children(file),
            (std::vector<std::string>{"provenance", "timeseries", "summary", "events",
                                      "communities", "subdistricts", "region"}));
  const h5::Group communities = h5::open_group(file, "communities");
  EXPECT_EQ(h5::children(communities), (std::vector<std::string>{"C001", "金花园%2FEast.2"}));
  const h5::Group first = h5::open_group(communities, "C001");
  EXPECT_EQ(h5::read_attribute<std::string>(first, "subdistrict"), "S01");
  EXPECT_EQ(h5::read_attribute<std::int64_t>(first, "index"), 0);
  // Only the summaries, as without region.detail: full.
  EXPECT_EQ(h5::children(first), (std::vector<std::string>{"summary"}));
  const h5::Group second = h5::open_group(communities, "金花园%2FEast.2");
  EXPECT_EQ(h5::read_attribute<std::int64_t>(second, "index"), 1);
  EXPECT_EQ(h5::children(second), (std::vector<std::string>{"timeseries", "summary", "events"}));
  EXPECT_EQ(h5::read_attribute<std::int64_t>(h5::open_group(second, "timeseries"), "days"), 3);
  const h5::Group subdistrict = h5::open_group(file, "subdistricts/S01");
  EXPECT_EQ(h5::children(subdistrict), (std::vector<std::string>{"summary"}));
  EXPECT_FALSE(h5::has_attribute(subdistrict, "subdistrict"));
  const h5::Group region = h5::open_group(file, "region");
  EXPECT_EQ(h5::children(region), (std::vector<std::string>{"communities", "subdistricts"}));
  const h5::Dataset table = h5::open_dataset(region, "communities");
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(table, "labels_community"),
            (std::vector<std::string>{"C001", "金花园/East.2"}));
}

TEST_F(Hdf5Test, HeadlineWeightIsAnAttributeOnlyWhereKnown) {
  RunResult run = test::region_run();
  run.summaries[0].headline_weight = 0.0;  // a weight of 0 is known, not missing
  const auto path = dir_ / "region.h5";
  write_run_file(path, run, sample_provenance());
  const h5::File file = h5::File::open(path);
  const h5::Dataset rate = h5::open_dataset(file, "/summary/closure_rate");
  const h5::Dataset count = h5::open_dataset(file, "/summary/work_orders_opened");
  EXPECT_EQ(h5::read_attribute<double>(rate, "headline_weight"), 0.0);
  // NaN (unknown) is not written, so a community run's summaries gain no attribute.
  EXPECT_FALSE(h5::has_attribute(count, "headline_weight"));
  const RunResult read = read_run(file);
  EXPECT_EQ(read.summaries[0].headline_weight, 0.0);
  EXPECT_TRUE(std::isnan(read.summaries[1].headline_weight));
  EXPECT_EQ(read.parts[1].summaries[0].headline_weight, 70.0);
}

TEST_F(Hdf5Test, ACommunityRunWritesNoRegionGroups) {
  const auto path = dir_ / "run.h5";
  write_run_file(path, sample_run(), sample_provenance());
  const h5::File file = h5::File::open(path);
  EXPECT_EQ(h5::children(file),
            (std::vector<std::string>{"provenance", "timeseries", "summary", "events"}));
  const RunResult read = read_run(file);
  EXPECT_TRUE(read.parts.empty());
  EXPECT_TRUE(read.region_tables.empty());
}

TEST_F(Hdf5Test, PartNamesWithSlashesDotsAndPercentSignsRoundTrip) {
  for (const std::string name :
       {"a/b", "/", "//", ".", "..", "a.b", "%", "%2F", "a%2Fb/c", "金花园 东区", " x "}) {
    SCOPED_TRACE(name);
    const std::string link = part_link_name(name);
    EXPECT_EQ(link.find('/'), std::string::npos);
    EXPECT_NE(link, ".");
    EXPECT_EQ(part_name(link), name);
  }
  EXPECT_EQ(part_link_name("a/b"), "a%2Fb");
  EXPECT_EQ(part_link_name("a.b"), "a.b");  // kept: most names read as they are
  EXPECT_EQ(part_link_name("."), "%2E");
  EXPECT_EQ(part_link_name("%2F"), "%252F");
  EXPECT_THROW(part_link_name(""), Hdf5Error);

  // In a file, too, whatever the order of the names (not sorted on the way back).
  RunResult run = test::region_run();
  const std::vector<std::string> names = {"z/y", ".", "a%2Fb", "..", "m.n", "a/b"};
  run.parts.clear();
  for (const auto& name : names)
    run.parts.push_back({"community", name, "S/1", {}, test::region_run().summaries, {}});
  run.parts.push_back({"subdistrict", "S/1", "", {}, test::region_run().summaries, {}});
  const auto path = dir_ / "names.h5";
  write_run_file(path, run, sample_provenance());
  const h5::File file = h5::File::open(path);
  const RunResult read = read_run(file);
  EXPECT_TRUE(test::same_run(run, read));
  EXPECT_TRUE(h5::exists(file, "subdistricts/S%2F1"));
}

// A tool that rebuilds the file (h5py, a copy group by group) may lose the creation order; each
// part's `index` keeps the region's.
TEST_F(Hdf5Test, PartsComeBackInTheRegionsOrderFromGroupsListedByName) {
  RunResult run = test::region_run();
  run.parts.clear();
  for (const char* name : {"z", "m", "a"})
    run.parts.push_back({"community", name, "S01", {}, test::region_run().summaries, {}});
  run.region_tables.clear();
  const auto path = dir_ / "region.h5";
  write_run_file(path, run, sample_provenance());
  const auto copy = dir_ / "copy.h5";
  {
    const h5::File from = h5::File::open(path);
    const h5::File to = h5::File::create(copy);
    for (const char* member : {"timeseries", "summary", "events"})
      ASSERT_GE(H5Ocopy(from, member, to, member, H5P_DEFAULT, H5P_DEFAULT), 0);
    // Without creation order: listed by name, a before m before z.
    const h5::Group plain{H5Gcreate2(to, "communities", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)};
    for (const char* name : {"a", "m", "z"})
      ASSERT_GE(H5Ocopy(from, ("communities/" + std::string(name)).c_str(), plain, name,
                        H5P_DEFAULT, H5P_DEFAULT),
                0);
    EXPECT_EQ(h5::children(plain), (std::vector<std::string>{"a", "m", "z"}));
  }
  const h5::File file = h5::File::open(copy);
  const RunResult read = read_run(file);
  ASSERT_EQ(read.parts.size(), 3u);
  EXPECT_EQ(read.parts[0].name, "z");
  EXPECT_EQ(read.parts[1].name, "m");
  EXPECT_EQ(read.parts[2].name, "a");
  EXPECT_TRUE(test::same_run(run, read));
}

// The check before writing (preflight.hpp) must not let a region's file outgrow the room found:
// its parts are many small datasets, mostly headers.
TEST_F(Hdf5Test, TheEstimateOfARegionFileBoundsItsSize) {
  RunResult run = test::region_run();
  const auto community = run.parts[1];  // with time series and an event table
  run.parts.clear();
  for (int i = 0; i < 400; ++i) {
    run.parts.push_back(community);
    run.parts.back().name = "C" + std::to_string(i);
  }
  const auto path = dir_ / "region.h5";
  write_run_file(path, run, sample_provenance());
  const auto size = fs::file_size(path);
  EXPECT_GT(size, 1024u * 1024u) << "beyond the metadata room of a community run";
  EXPECT_LE(size, estimated_run_file_bytes(run));
  EXPECT_LE(estimated_run_file_bytes(run), 2 * size) << "a bound, not a wild one";
}

TEST_F(Hdf5Test, PartsThatCannotBeLaidOutAreRejected) {
  const auto rejected = [&](RunResult run, const std::string& words) {
    try {
      write_run_file(dir_ / "bad.h5", run, sample_provenance());
    } catch (const Hdf5Error& e) {
      return std::string(e.what()).find(words) != std::string::npos;
    }
    return false;
  };
  RunResult run = test::region_run();
  run.parts[0].level = "grid";
  EXPECT_TRUE(rejected(run, "neither community nor subdistrict"));
  run = test::region_run();
  run.parts[1].name = run.parts[0].name;
  EXPECT_TRUE(rejected(run, "two communities are named this"));
  run = test::region_run();
  std::swap(run.parts[1], run.parts[2]);  // a subdistrict before a community
  EXPECT_TRUE(rejected(run, "comes after a subdistrict"));
  EXPECT_TRUE(folder_entries(dir_).empty());
}

TEST_F(Hdf5Test, ProvenanceReadsBackWithUtf8Strings) {
  const Provenance written = sample_provenance();
  const auto path = dir_ / "run.h5";
  write_run_file(path, sample_run(), written);
  const h5::File file = h5::File::open(path);
  const Provenance read = read_provenance(file);
  EXPECT_EQ(read.scenario_text, written.scenario_text);
  EXPECT_EQ(read.scenario_resolved, written.scenario_resolved);
  EXPECT_EQ(read.overrides, written.overrides);
  EXPECT_EQ(read.seed, written.seed);
  EXPECT_EQ(read.run, 7);
  EXPECT_EQ(read.commsim_version, written.commsim_version);
  EXPECT_EQ(read.git_commit, written.git_commit);
  EXPECT_EQ(read.compiler, written.compiler);
  EXPECT_EQ(read.build_type, written.build_type);
  EXPECT_EQ(read.libraries, written.libraries);
  EXPECT_EQ(read.start_time, written.start_time);
  EXPECT_EQ(read.wall_seconds, 12.5);
  EXPECT_EQ(read.threads, 4);

  // Readers decode by the declared character set: it must say UTF-8, variable length.
  const h5::Group group = h5::open_group(file, "provenance");
  const h5::Attribute text{H5Aopen(group, "scenario_text", H5P_DEFAULT)};
  const h5::Datatype type{H5Aget_type(text)};
  EXPECT_EQ(H5Tget_cset(type), H5T_CSET_UTF8);
  EXPECT_GT(H5Tis_variable_str(type), 0);
  const h5::Attribute seed{H5Aopen(group, "seed", H5P_DEFAULT)};
  const h5::Datatype seed_type{H5Aget_type(seed)};
  EXPECT_TRUE(H5Tequal(seed_type, H5T_STD_U64LE) > 0);
}

TEST_F(Hdf5Test, AttributesOfEveryKindReadBackAndAreReplaced) {
  const h5::File file = h5::File::create(dir_ / "a.h5");
  const h5::Group g = h5::ensure_group(file, "sweep");
  h5::write_attribute(g, "design", "saltelli");
  h5::write_attribute(g, "parameters", std::vector<std::string>{"staffing.per_10k", "金"});
  h5::write_attribute(g, "none", std::vector<std::string>{});
  h5::write_attribute(g, "replications", std::int64_t{-3});
  h5::write_attribute(g, "seed", std::uint64_t{1} << 63);
  h5::write_attribute(g, "share", 0.1);
  h5::write_attribute(g, "share", 0.2);  // replaces
  EXPECT_EQ(h5::read_attribute<std::string>(g, "design"), "saltelli");
  EXPECT_EQ(h5::read_attribute<std::vector<std::string>>(g, "parameters"),
            (std::vector<std::string>{"staffing.per_10k", "金"}));
  EXPECT_TRUE(h5::read_attribute<std::vector<std::string>>(g, "none").empty());
  EXPECT_EQ(h5::read_attribute<std::int64_t>(g, "replications"), -3);
  EXPECT_EQ(h5::read_attribute<std::uint64_t>(g, "seed"), std::uint64_t{1} << 63);
  EXPECT_EQ(h5::read_attribute<double>(g, "share"), 0.2);
  EXPECT_EQ(h5::read_attribute<double>(g, "replications"), -3.0);  // HDF5 converts numbers
  EXPECT_TRUE(h5::has_attribute(g, "design"));
  EXPECT_FALSE(h5::has_attribute(g, "missing"));
  EXPECT_THROW(h5::read_attribute<std::string>(g, "parameters"), Hdf5Error);  // two strings
  EXPECT_THROW(h5::read_attribute<std::int64_t>(g, "design"), Hdf5Error);
  EXPECT_THROW(h5::read_attribute<std::string>(g, "share"), Hdf5Error);
}

TEST_F(Hdf5Test, EnsureGroupCreatesNestedGroupsOnce) {
  const h5::File file = h5::File::create(dir_ / "g.h5");
  EXPECT_FALSE(h5::exists(file, "runs/p00001/r002"));
  h5::ensure_group(file, "runs/p00001/r002");
  h5::ensure_group(file, "runs/p00001/r002");  // already there: opened, not an error
  h5::ensure_group(file, "/runs/p00000");
  EXPECT_TRUE(h5::exists(file, "runs"));
  EXPECT_TRUE(h5::exists(file, "runs/p00001/r002"));
  EXPECT_TRUE(h5::exists(file, "/runs/p00001"));
  EXPECT_FALSE(h5::exists(file, "runs/p00002/r002"));
  const h5::Group runs = h5::open_group(file, "runs");
  EXPECT_EQ(h5::children(runs), (std::vector<std::string>{"p00001", "p00000"}));  // creation order
  EXPECT_EQ(h5::children(file), (std::vector<std::string>{"runs"}));
  h5::flush(file);
}

TEST_F(Hdf5Test, GroupsWithoutCreationOrderListByName) {
  const h5::File file = h5::File::create(dir_ / "g.h5");
  const h5::Group plain{H5Gcreate2(file, "plain", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)};
  for (const char* name : {"b", "c", "a"})
    h5::Group{H5Gcreate2(plain, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)};
  EXPECT_EQ(h5::children(plain), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(Hdf5Test, AtomicWriteLeavesOnlyTheFinalFile) {
  const auto path = dir_ / "out.h5";
  write_run_file(path, sample_run(), sample_provenance());
  EXPECT_EQ(folder_entries(dir_), (std::vector<std::string>{"out.h5"}));
  // Overwriting an existing file works the same way.
  write_run_file(path, sample_run(), sample_provenance());
  EXPECT_EQ(folder_entries(dir_), (std::vector<std::string>{"out.h5"}));
}

TEST_F(Hdf5Test, FailedWriteLeavesNoFileAndKeepsTheOldOne) {
  const auto path = dir_ / "out.h5";
  const auto fail = [](hid_t file) {
    write_provenance(file, sample_provenance());
    throw std::runtime_error("simulated failure");
  };
  EXPECT_THROW(write_file_atomically(path, fail), std::runtime_error);
  EXPECT_TRUE(folder_entries(dir_).empty());

  write_run_file(path, sample_run(), sample_provenance());
  const std::string before = file_bytes(path);
  EXPECT_THROW(write_file_atomically(path, fail), std::runtime_error);
  EXPECT_EQ(folder_entries(dir_), (std::vector<std::string>{"out.h5"}));
  EXPECT_EQ(file_bytes(path), before);
}

TEST_F(Hdf5Test, WriterThatLeavesAnObjectOpenFails) {
  const auto path = dir_ / "out.h5";
  h5::Group leaked;
  EXPECT_THROW(write_file_atomically(
                   path, [&](hid_t file) { leaked = h5::ensure_group(file, "timeseries"); }),
               Hdf5Error);
  leaked.reset();
  EXPECT_TRUE(folder_entries(dir_).empty());
}

TEST_F(Hdf5Test, MissingFolderIsAnErrorNamingThePath) {
  const auto path = dir_ / "no_such_folder" / "out.h5";
  try {
    write_run_file(path, sample_run(), sample_provenance());
    FAIL() << "expected an error";
  } catch (const Hdf5Error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "no_such_folder"));
}

TEST_F(Hdf5Test, ErrorsNameTheFileAndTheObject) {
  const auto missing = dir_ / "missing.h5";
  try {
    h5::File::open(missing);
    FAIL() << "expected an error";
  } catch (const Hdf5Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
  }

  const auto path = dir_ / "partial.h5";
  write_file_atomically(path, [](hid_t file) { write_provenance(file, sample_provenance()); });
  const h5::File file = h5::File::open(path);
  try {
    read_run(file);
    FAIL() << "expected an error";
  } catch (const Hdf5Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string() + ":/timeseries"), std::string::npos) << message;
    EXPECT_NE(message.find("open group"), std::string::npos) << message;
  }
  const h5::Group provenance = h5::open_group(file, "provenance");
  try {
    h5::read_attribute<double>(provenance, "missing_attribute");
    FAIL() << "expected an error";
  } catch (const Hdf5Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("missing_attribute"), std::string::npos) << message;
    EXPECT_NE(message.find(path.string() + ":/provenance"), std::string::npos) << message;
  }
}

TEST_F(Hdf5Test, ValuesThatDoNotFitTheShapeAreRejected) {
  RunResult run = sample_run();
  run.timeseries[2].values.pop_back();
  try {
    write_run_file(dir_ / "bad.h5", run, sample_provenance());
    FAIL() << "expected an error";
  } catch (const Hdf5Error& e) {
    EXPECT_NE(std::string(e.what()).find("/timeseries/needs_arisen"), std::string::npos)
        << e.what();
  }
  run = sample_run();
  std::get<std::vector<double>>(run.tables[0].columns[1].data).push_back(1.0);
  EXPECT_THROW(write_run_file(dir_ / "bad.h5", run, sample_provenance()), Hdf5Error);
  EXPECT_TRUE(folder_entries(dir_).empty());
}

std::string verify_error(const fs::path& file) {
  try {
    const h5::File f = h5::File::open(file);
    h5::verify(f);
  } catch (const Hdf5Error& e) {
    return e.what();
  }
  return "";
}

// Damage after commsim wrote a file is found by its seal before libhdf5 reads it (test_seal.cpp);
// these tests reseal the damaged file, as if the writer itself had gone wrong, to check that
// h5::verify still finds it through HDF5's own checksums.
TEST_F(Hdf5Test, VerifyReadsEveryDatasetAndFindsAFlippedChunk) {
  const auto path = dir_ / "run.h5";
  RunResult run = sample_run();
  run.days = 200;  // needs_arisen: 200 x 24 values, chunked
  run.timeseries = {
      Metric{"needs_arisen", "needs", "Needs.", {kGrid, kGroup, kNeed}, sequence(200 * 24, 1.0)}};
  write_run_file(path, run, sample_provenance());
  EXPECT_EQ(verify_error(path), "") << "a whole file verifies";
  flip_bytes(path, chunk_offset(path, "/timeseries/needs_arisen"), 16);
  EXPECT_NE(verify_error(path).find("it is damaged"), std::string::npos) << verify_error(path);
  seal_file(path);
  const std::string error = verify_error(path);
  EXPECT_NE(error.find("/timeseries/needs_arisen"), std::string::npos) << error;
  EXPECT_NE(error.find("Fletcher32"), std::string::npos) << error;
}

TEST_F(Hdf5Test, VerifyFindsFlippedMetadata) {
  const auto path = dir_ / "run.h5";
  write_run_file(path, sample_run(), sample_provenance());
  // The object header of a compact summary: HDF5 1.8's format checksums every header.
  const std::uint64_t header = header_offset(path, "/summary/closure_rate");
  ASSERT_EQ(file_bytes(path).substr(header, 4), "OHDR");
  flip_bytes(path, header + 24, 8);
  EXPECT_NE(verify_error(path).find("it is damaged"), std::string::npos) << verify_error(path);
  seal_file(path);
  const std::string error = verify_error(path);
  EXPECT_FALSE(error.empty()) << "flipped header bytes must not verify";
  EXPECT_EQ(error.find("it is damaged"), std::string::npos) << error;
}

TEST_F(Hdf5Test, FullDiskIsAClearErrorNamingTheFileAndLeavesNothing) {
  const SmallDisk disk(dir_ / "small", 128);
  if (!disk.mounted()) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  RunResult run = sample_run();
  run.days = 400;
  run.timeseries = {Metric{"big",
                           "needs",
                           "A large series.",
                           {{"cell", {"a", "b", "c", "d"}}},
                           sequence(400 * 4 * 200, 0.37)}};
  run.timeseries[0].dims[0].labels.resize(800, "c");
  const auto path = dir_ / "small" / "out.h5";
  try {
    write_run_file(path, run, sample_provenance());
    FAIL() << "expected the write to fail";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot write " + path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("no space left on device"), std::string::npos) << message;
  }
  EXPECT_TRUE(folder_entries(dir_ / "small").empty());
  // The process goes on (and ends) normally: HDF5 no longer closes the failed file again.
  write_run_file(dir_ / "after.h5", sample_run(), sample_provenance());
  EXPECT_EQ(verify_error(dir_ / "after.h5"), "");
}

TEST_F(Hdf5Test, OutputChecksRefuseAFolderAMissingFolderAndAFullDisk) {
  const auto message = [](const fs::path& p, std::uintmax_t bytes) -> std::string {
    try {
      check_output_path(p, bytes);
    } catch (const OutputPathError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(message(dir_ / "out.h5", 1000), "");
  EXPECT_TRUE(folder_entries(dir_).empty()) << "the probe file is removed";
  EXPECT_NE(message(dir_, 1000).find("it is a folder"), std::string::npos);
  EXPECT_NE(message(dir_ / "nope" / "out.h5", 1000).find("does not exist"), std::string::npos);
  EXPECT_NE(message(dir_ / "out.h5", std::uintmax_t{1} << 62).find("free"), std::string::npos);
  const SmallDisk disk(dir_ / "ro", 64);
  if (!disk.mounted()) GTEST_SKIP() << "a read-only mount needs root (CI runs as root)";
  ASSERT_EQ(::mount("", (dir_ / "ro").c_str(), "", MS_REMOUNT | MS_RDONLY, nullptr), 0);
  const std::string ro = message(dir_ / "ro" / "out.h5", 1000);
  EXPECT_NE(ro.find("Read-only file system"), std::string::npos) << ro;
}
}  // namespace
}  // namespace commsim::output
