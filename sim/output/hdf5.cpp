#include "sim/output/hdf5.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace commsim::output {

namespace h5 {

namespace {

// HDF5 prints its own error stack by default; we report errors as exceptions instead.
void quiet_errors() {
  static const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Hdf5Error("HDF5: cannot " + what);
  return id;
}

Handle dataspace(const std::vector<hsize_t>& shape) {
  if (shape.empty()) return Handle(check(H5Screate(H5S_SCALAR), "create a dataspace"), H5Sclose);
  return Handle(check(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                      "create a dataspace"),
                H5Sclose);
}

Handle string_type() {
  Handle t(check(H5Tcopy(H5T_C_S1), "copy the string type"), H5Tclose);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

Handle new_attribute(hid_t object, const std::string& name, hid_t type, hid_t space) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
  return Handle(check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                      "create attribute '" + name + "'"),
                H5Aclose);
}

Handle open_attribute(hid_t object, const std::string& name) {
  return Handle(check(H5Aopen(object, name.c_str(), H5P_DEFAULT), "open attribute '" + name + "'"),
                H5Aclose);
}

template <class T>
void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, T value) {
  const Handle space = dataspace({});
  const Handle a = new_attribute(object, name, type, space);
  check(H5Awrite(a, type, &value), "write attribute '" + name + "'");
}

template <class T>
T read_scalar_attribute(hid_t object, const std::string& name, hid_t type) {
  const Handle a = open_attribute(object, name);
  T value{};
  check(H5Aread(a, type, &value), "read attribute '" + name + "'");
  return value;
}

// Reads an attribute of strings, variable- or fixed-length (h5py writes either).
std::vector<std::string> read_string_values(hid_t object, const std::string& name) {
  const Handle a = open_attribute(object, name);
  const Handle file_type(H5Aget_type(a), H5Tclose);
  const Handle space(H5Aget_space(a), H5Sclose);
  const auto n =
      static_cast<std::size_t>(std::max<hssize_t>(1, H5Sget_simple_extent_npoints(space)));
  if (H5Tget_class(file_type) != H5T_STRING)
    throw Hdf5Error("attribute '" + name + "' is not a string");
  std::vector<std::string> out;
  if (H5Tis_variable_str(file_type) > 0) {
    const Handle mem = string_type();
    std::vector<char*> ptrs(n, nullptr);
    check(H5Aread(a, mem, ptrs.data()), "read attribute '" + name + "'");
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, ptrs.data());
  } else {
    const std::size_t size = H5Tget_size(file_type);
    std::vector<char> buf(n * size);
    check(H5Aread(a, file_type, buf.data()), "read attribute '" + name + "'");
    for (std::size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * size;
      out.emplace_back(s, strnlen(s, size));
    }
  }
  return out;
}

// Chunks of about 64k values: whole rows of the trailing axes, as many days as fit.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape) {
  std::vector<hsize_t> chunk = shape;
  hsize_t rest = 1;
  for (std::size_t i = 1; i < shape.size(); ++i) rest *= shape[i];
  if (rest > 65536) {
    for (std::size_t i = 1; i < chunk.size(); ++i) chunk[i] = std::min<hsize_t>(shape[i], 256);
    rest = 1;
    for (std::size_t i = 1; i < chunk.size(); ++i) rest *= chunk[i];
  }
  chunk[0] = std::clamp<hsize_t>(65536 / std::max<hsize_t>(rest, 1), 1, shape[0]);
  return chunk;
}

Handle compressed_layout(const std::vector<hsize_t>& shape) {
  Handle plist(check(H5Pcreate(H5P_DATASET_CREATE), "create a property list"), H5Pclose);
  const bool chunkable =
      !shape.empty() && std::all_of(shape.begin(), shape.end(), [](hsize_t d) { return d > 0; });
  if (chunkable) {
    const auto chunk = chunk_shape(shape);
    H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data());
    H5Pset_shuffle(plist);
    H5Pset_deflate(plist, 4);
  }
  return plist;
}

}  // namespace

Handle create_file(const std::filesystem::path& path) {
  quiet_errors();
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                      "create file " + path.string()),
                H5Fclose);
}

Handle open_file(const std::filesystem::path& path, bool read_write) {
  quiet_errors();
  return Handle(
      check(H5Fopen(path.c_str(), read_write ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT),
            "open file " + path.string()),
      H5Fclose);
}

void flush(hid_t file) {
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush the file");
}

bool exists(hid_t parent, const std::string& path) {
  quiet_errors();
  std::string prefix;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    prefix = path.substr(0, slash);
    if (!prefix.empty() && H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

Handle ensure_group(hid_t parent, const std::string& path) {
  quiet_errors();
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    const std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) {
      Handle g(check(H5Gcreate2(parent, prefix.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     "create group '" + prefix + "'"),
               H5Gclose);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return open_group(parent, path);
}

Handle open_group(hid_t parent, const std::string& path) {
  quiet_errors();
  return Handle(check(H5Gopen2(parent, path.c_str(), H5P_DEFAULT), "open group '" + path + "'"),
                H5Gclose);
}

std::vector<std::string> children(hid_t group) {
  std::vector<std::string> names;
  H5Literate(
      group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = string_type();
  const Handle space = dataspace({});
  const Handle a = new_attribute(object, name, type, space);
  const char* p = value.c_str();
  check(H5Awrite(a, type, &p), "write attribute '" + name + "'");
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& value) {
  const Handle type = string_type();
  const Handle space = dataspace({static_cast<hsize_t>(value.size())});
  const Handle a = new_attribute(object, name, type, space);
  std::vector<const char*> ptrs;
  for (const auto& s : value) ptrs.push_back(s.c_str());
  if (!ptrs.empty()) check(H5Awrite(a, type, ptrs.data()), "write attribute '" + name + "'");
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_INT64, value);
}
void write_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_UINT64, value);
}
void write_attribute(hid_t object, const std::string& name, double value) {
  write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, value);
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const auto v = read_string_values(object, name);
  return v.empty() ? std::string() : v.front();
}
std::vector<std::string> read_strings_attribute(hid_t object, const std::string& name) {
  const Handle a = open_attribute(object, name);
  const Handle space(H5Aget_space(a), H5Sclose);
  if (H5Sget_simple_extent_npoints(space) == 0) return {};
  return read_string_values(object, name);
}
std::int64_t read_int_attribute(hid_t object, const std::string& name) {
  return read_scalar_attribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}
std::uint64_t read_uint_attribute(hid_t object, const std::string& name) {
  return read_scalar_attribute<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}
double read_double_attribute(hid_t object, const std::string& name) {
  return read_scalar_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                   const std::vector<double>& values) {
  const Handle space = dataspace(shape);
  const Handle plist = compressed_layout(shape);
  const Handle ds(check(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, plist,
                                   H5P_DEFAULT),
                        "create dataset '" + name + "'"),
                  H5Dclose);
  if (!values.empty())
    check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset '" + name + "'");
}

std::vector<double> read_doubles(hid_t parent, const std::string& name,
                                 std::vector<hsize_t>* shape) {
  const Handle ds(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "open dataset '" + name + "'"),
                  H5Dclose);
  const Handle space(H5Dget_space(ds), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!values.empty())
    check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "read dataset '" + name + "'");
  if (shape) *shape = dims;
  return values;
}

}  // namespace h5

void write_metric(hid_t parent, const Metric& m, std::int64_t days) {
  std::vector<hsize_t> shape;
  std::vector<std::string> dim_names;
  if (days > 0) {
    shape.push_back(static_cast<hsize_t>(days));
    dim_names.push_back("day");
  }
  for (const auto& d : m.dims) {
    shape.push_back(d.labels.size());
    dim_names.push_back(d.name);
  }
  h5::write_doubles(parent, m.name, shape, m.values);
  const h5::Handle ds(H5Dopen2(parent, m.name.c_str(), H5P_DEFAULT), H5Dclose);
  h5::write_attribute(ds, "unit", m.unit);
  h5::write_attribute(ds, "description", m.description);
  h5::write_attribute(ds, "dims", dim_names);
  for (const auto& d : m.dims) h5::write_attribute(ds, "labels_" + d.name, d.labels);
}

Metric read_metric(hid_t parent, const std::string& name, bool timeseries) {
  Metric m;
  m.name = name;
  m.values = h5::read_doubles(parent, name);
  const h5::Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  m.unit = h5::read_string_attribute(ds, "unit");
  m.description = h5::read_string_attribute(ds, "description");
  const auto dims = h5::read_strings_attribute(ds, "dims");
  for (std::size_t i = timeseries ? 1 : 0; i < dims.size(); ++i)
    m.dims.push_back({dims[i], h5::read_strings_attribute(ds, "labels_" + dims[i])});
  return m;
}

namespace {

hid_t column_file_type(const Column& c) {
  if (std::holds_alternative<std::vector<std::int64_t>>(c.data)) return H5T_STD_I64LE;
  if (std::holds_alternative<std::vector<std::uint64_t>>(c.data)) return H5T_STD_U64LE;
  return H5T_IEEE_F64LE;
}

// A compound type holding just one 8-byte field: reads or writes that column alone.
h5::Handle one_field_type(const std::string& name, hid_t type) {
  h5::Handle t(H5Tcreate(H5T_COMPOUND, 8), H5Tclose);
  H5Tinsert(t, name.c_str(), 0, type);
  return t;
}

}  // namespace

void write_table(hid_t parent, const Table& t) {
  const std::size_t rows = t.columns.empty() ? 0 : t.columns.front().rows();
  for (const auto& c : t.columns)
    if (c.rows() != rows) throw Hdf5Error("table '" + t.name + "': columns of unequal length");
  const std::size_t width = 8 * t.columns.size();
  h5::Handle file_type(H5Tcreate(H5T_COMPOUND, std::max<std::size_t>(width, 8)), H5Tclose);
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    H5Tinsert(file_type, t.columns[i].name.c_str(), 8 * i, column_file_type(t.columns[i]));
  std::vector<unsigned char> buffer(rows * width);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    std::visit(
        [&](const auto& v) {
          for (std::size_t r = 0; r < rows; ++r) std::memcpy(&buffer[r * width + 8 * i], &v[r], 8);
        },
        t.columns[i].data);
  }
  const std::vector<hsize_t> shape{static_cast<hsize_t>(rows)};
  const h5::Handle space(H5Screate_simple(1, shape.data(), nullptr), H5Sclose);
  h5::Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (rows > 0) {
    const hsize_t chunk = std::min<hsize_t>(rows, 8192);
    H5Pset_chunk(plist, 1, &chunk);
    H5Pset_shuffle(plist);
    H5Pset_deflate(plist, 4);
  }
  const h5::Handle ds(h5::check(H5Dcreate2(parent, t.name.c_str(), file_type, space, H5P_DEFAULT,
                                           plist, H5P_DEFAULT),
                                "create table '" + t.name + "'"),
                      H5Dclose);
  // The in-memory layout matches the file's (8-byte little-endian fields, packed).
  if (rows > 0)
    h5::check(H5Dwrite(ds, file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
              "write table '" + t.name + "'");
  h5::write_attribute(ds, "description", t.description);
  for (const auto& c : t.columns) {
    h5::write_attribute(ds, "unit_" + c.name, c.unit);
    h5::write_attribute(ds, "description_" + c.name, c.description);
  }
}

Table read_table(hid_t parent, const std::string& name) {
  const h5::Handle ds(
      h5::check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "open table '" + name + "'"),
      H5Dclose);
  const h5::Handle type(H5Dget_type(ds), H5Tclose);
  const h5::Handle space(H5Dget_space(ds), H5Sclose);
  const auto rows = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  Table t;
  t.name = name;
  if (h5::has_attribute(ds, "description"))
    t.description = h5::read_string_attribute(ds, "description");
  const int members = H5Tget_nmembers(type);
  for (int i = 0; i < members; ++i) {
    char* raw = H5Tget_member_name(type, static_cast<unsigned>(i));
    Column c;
    c.name = raw;
    H5free_memory(raw);
    const bool integer = H5Tget_member_class(type, static_cast<unsigned>(i)) == H5T_INTEGER;
    const h5::Handle member(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
    const bool is_unsigned = integer && H5Tget_sign(member) == H5T_SGN_NONE;
    const h5::Handle mem = one_field_type(
        c.name, is_unsigned ? H5T_NATIVE_UINT64 : (integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE));
    if (is_unsigned) {
      std::vector<std::uint64_t> v(rows);
      if (rows) H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
      c.data = std::move(v);
    } else if (integer) {
      std::vector<std::int64_t> v(rows);
      if (rows) H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
      c.data = std::move(v);
    } else {
      std::vector<double> v(rows);
      if (rows) H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
      c.data = std::move(v);
    }
    if (h5::has_attribute(ds, "unit_" + c.name))
      c.unit = h5::read_string_attribute(ds, "unit_" + c.name);
    if (h5::has_attribute(ds, "description_" + c.name))
      c.description = h5::read_string_attribute(ds, "description_" + c.name);
    t.columns.push_back(std::move(c));
  }
  return t;
}

void write_run(hid_t parent, const RunResult& r) {
  const h5::Handle ts = h5::ensure_group(parent, "timeseries");
  h5::write_attribute(ts, "days", r.days);
  h5::write_attribute(ts, "start_weekday", r.start_weekday);
  for (const auto& m : r.timeseries) write_metric(ts, m, r.days);
  const h5::Handle summary = h5::ensure_group(parent, "summary");
  for (const auto& m : r.summaries) write_metric(summary, m, 0);
  if (!r.tables.empty()) {
    const h5::Handle events = h5::ensure_group(parent, "events");
    for (const auto& t : r.tables) write_table(events, t);
  }
}

RunResult read_run(hid_t parent) {
  RunResult r;
  const h5::Handle ts = h5::open_group(parent, "timeseries");
  r.days = h5::read_int_attribute(ts, "days");
  r.start_weekday = h5::read_int_attribute(ts, "start_weekday");
  for (const auto& name : h5::children(ts)) r.timeseries.push_back(read_metric(ts, name, true));
  const h5::Handle summary = h5::open_group(parent, "summary");
  for (const auto& name : h5::children(summary))
    r.summaries.push_back(read_metric(summary, name, false));
  if (h5::exists(parent, "events")) {
    const h5::Handle events = h5::open_group(parent, "events");
    for (const auto& name : h5::children(events)) r.tables.push_back(read_table(events, name));
  }
  return r;
}

void write_provenance(hid_t parent, const Provenance& p) {
  const h5::Handle g = h5::ensure_group(parent, "provenance");
  h5::write_attribute(g, "scenario_text", p.scenario_text);
  h5::write_attribute(g, "scenario_resolved", p.scenario_resolved);
  h5::write_attribute(g, "overrides", p.overrides);
  h5::write_attribute(g, "seed", p.seed);
  h5::write_attribute(g, "run", p.run);
  h5::write_attribute(g, "commsim_version", p.commsim_version);
  h5::write_attribute(g, "git_commit", p.git_commit);
  h5::write_attribute(g, "compiler", p.compiler);
  h5::write_attribute(g, "libraries", p.libraries);
  h5::write_attribute(g, "start_time", p.start_time);
  h5::write_attribute(g, "wall_seconds", p.wall_seconds);
  h5::write_attribute(g, "threads", p.threads);
}

Provenance read_provenance(hid_t parent) {
  const h5::Handle g = h5::open_group(parent, "provenance");
  Provenance p;
  p.scenario_text = h5::read_string_attribute(g, "scenario_text");
  p.scenario_resolved = h5::read_string_attribute(g, "scenario_resolved");
  p.overrides = h5::read_strings_attribute(g, "overrides");
  p.seed = h5::read_uint_attribute(g, "seed");
  p.run = h5::read_int_attribute(g, "run");
  p.commsim_version = h5::read_string_attribute(g, "commsim_version");
  p.git_commit = h5::read_string_attribute(g, "git_commit");
  p.compiler = h5::read_string_attribute(g, "compiler");
  p.libraries = h5::read_string_attribute(g, "libraries");
  p.start_time = h5::read_string_attribute(g, "start_time");
  p.wall_seconds = h5::read_double_attribute(g, "wall_seconds");
  p.threads = h5::read_int_attribute(g, "threads");
  return p;
}

void write_file_atomically(const std::filesystem::path& final_path,
                           const std::function<void(hid_t file)>& fill) {
  const auto folder =
      final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder))
    throw Hdf5Error("cannot write " + final_path.string() + ": folder " + folder.string() +
                    " does not exist");
  const std::filesystem::path temporary = final_path.string() + ".tmp-" + std::to_string(getpid());
  try {
    h5::Handle file = h5::create_file(temporary);
    fill(file);
    file.reset();  // closed, so every byte is on disk before the rename
    std::filesystem::rename(temporary, final_path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(temporary, ec);
    throw;
  }
}

void write_run_file(const std::filesystem::path& path, const RunResult& r, const Provenance& p) {
  write_file_atomically(path, [&](hid_t file) {
    write_provenance(file, p);
    write_run(file, r);
  });
}

}  // namespace commsim::output
