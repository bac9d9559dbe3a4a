#include "sim/output/hdf5.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>

namespace commsim::output {

namespace {
// HDF5 closes what is still open when the process exits. A file whose H5Fclose failed (a full
// disk) stays registered with its structures already freed, and closing it again at exit crashed
// (SIGSEGV in H5F__close_cb). Every object here is closed by its owner, so there is nothing for
// that clean-up to do; this must run before the library's first call, hence at static
// initialisation.
[[maybe_unused]] const herr_t kNoCloseAtExit = H5dont_atexit();
}  // namespace

namespace h5 {

bool is_storage_errno(int error) {
  return error == ENOSPC || error == EDQUOT || error == EROFS || error == EACCES ||
         error == EPERM || error == EFBIG;
}

void throw_io_error(const std::string& what, int error) {
  const std::string message = what + ": " + std::strerror(error);
  if (is_storage_errno(error)) throw StorageError(message);
  throw Hdf5Error(message);
}

void quiet_errors() {
  // A thread-safe HDF5 build keeps this setting per thread, so each thread switches it off once.
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

namespace {

// Reads a name through HDF5's two-call protocol: first the length, then the characters.
template <class Get>
std::string read_name(Get get) {
  const auto length = get(nullptr, 0);
  if (length <= 0) return {};
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  get(name.data(), name.size());
  name.resize(static_cast<std::size_t>(length));
  return name;
}

// "file.h5:/group/child": where an object (or the child named relative to it) lives.
std::string place(hid_t object, std::string_view child) {
  const std::string file =
      read_name([&](char* buf, std::size_t n) { return H5Fget_name(object, buf, n); });
  std::string path =
      read_name([&](char* buf, std::size_t n) { return H5Iget_name(object, buf, n); });
  if (!child.empty()) {
    if (child.front() == '/') {
      path.clear();
    } else if (path.empty() || path.back() != '/') {
      path += '/';
    }
    path += child;
  }
  return (file.empty() ? "<unknown file>" : file) + ":" + path;
}

// HDF5's own reason for the last failure on this thread: the innermost entry of its error stack,
// where the problem was detected; the outer entries only repeat "unable to ...".
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* error, void* out) -> herr_t {
        if (n == 0 && error->desc) *static_cast<std::string*>(out) = error->desc;
        return 0;
      },
      &reason);
  return reason;
}

// HDF5's file driver reports a failed system call as "... errno = 28, error message = 'No space
// left on device', ...": the errno when there is one, else 0.
int reason_errno(std::string_view reason) {
  const auto at = reason.find("errno = ");
  if (at == std::string_view::npos) return 0;
  int value = 0;
  const auto digits = reason.substr(at + 8);
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

[[noreturn]] void throw_error(std::string_view operation, std::string_view where,
                              std::string_view reason) {
  if (const int error = reason_errno(reason); is_storage_errno(error)) {
    // The driver's own text (times, buffer addresses, offsets) says nothing more to a user.
    std::string cause = std::strerror(error);
    if (!cause.empty()) cause[0] = static_cast<char>(std::tolower(cause[0]));
    throw StorageError("cannot write " + std::string(where) + ": " + cause + " (HDF5: cannot " +
                       std::string(operation) + ")");
  }
  std::string message = "HDF5: cannot ";
  message += operation;
  if (!where.empty()) (message += ' ') += where;
  if (!reason.empty()) (message += ": ") += reason;
  throw Hdf5Error(message);
}

// A file or object that is not what this code expects (wrong kind, wrong shape): not an HDF5
// failure, so there is no HDF5 reason, but the place is just as useful.
[[noreturn]] void throw_unexpected(hid_t object, std::string_view child, std::string_view what) {
  throw Hdf5Error("HDF5: " + place(object, child) + ": " + std::string(what));
}

// For objects that live only in memory (types, dataspaces, property lists): no place to name.
template <class T>
T check_transient(T result, std::string_view operation) {
  return check(result, operation, std::filesystem::path());
}

// The HDF5 types of each kind of number: little-endian in the file, as docs/output.md promises,
// native in memory.
template <class T>
struct NumberType;
template <>
struct NumberType<std::int64_t> {
  static hid_t file() { return H5T_STD_I64LE; }
  static hid_t memory() { return H5T_NATIVE_INT64; }
};
template <>
struct NumberType<std::uint64_t> {
  static hid_t file() { return H5T_STD_U64LE; }
  static hid_t memory() { return H5T_NATIVE_UINT64; }
};
template <>
struct NumberType<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
};

Datatype utf8_string_type() {
  Datatype type{check_transient(H5Tcopy(H5T_C_S1), "copy the string type")};
  check_transient(H5Tset_size(type, H5T_VARIABLE), "make the string type variable-length");
  check_transient(H5Tset_cset(type, H5T_CSET_UTF8), "make the string type UTF-8");
  return type;
}

// An empty shape is a scalar.
Dataspace make_dataspace(const std::vector<hsize_t>& shape) {
  if (shape.empty()) return Dataspace{check_transient(H5Screate(H5S_SCALAR), "create a dataspace")};
  return Dataspace{
      check_transient(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                      "create a dataspace")};
}

hsize_t product(std::vector<hsize_t>::const_iterator begin,
                std::vector<hsize_t>::const_iterator end) {
  return std::accumulate(begin, end, hsize_t{1}, std::multiplies<>());
}

// At most 256 KiB a chunk: within HDF5's default 1 MiB chunk cache, and large enough for deflate
// to find repetition. Leading axes shrink first, so a chunk of a time series holds whole days and
// a chunk of a table whole rows.
constexpr std::size_t chunk_bytes = 256 * 1024;
// Datasets up to this size (summaries, short breakdowns) are stored compact, inside their object
// header: no chunk index, no filter pipeline. Compressing a few dozen bytes costs more than it
// saves, and a sweep writes one such file per run.
constexpr std::size_t compact_bytes = 4 * 1024;
// Attributes kept in a dataset's object header (compact) up to this many; a region's tables carry
// three for each of their ~40 columns. HDF5 1.10's H5Ocopy (a sweep copies each run) crashes on
// dense storage of variable-length strings, so no dataset commsim writes may need it (a message
// over 64 KiB, e.g. more than about 4,000 labels, still forces it: see docs/output.md).
constexpr unsigned kCompactAttributes = 1024;

std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape, std::size_t element_bytes) {
  std::vector<hsize_t> chunk = shape;
  const hsize_t budget =
      std::max<hsize_t>(1, chunk_bytes / std::max<std::size_t>(element_bytes, 1));
  for (std::size_t axis = 0; axis < chunk.size(); ++axis) {
    const hsize_t rest =
        product(chunk.begin() + static_cast<std::ptrdiff_t>(axis) + 1, chunk.end());
    if (chunk[axis] * rest <= budget) break;  // the axes before this one are 1 by now
    chunk[axis] = std::max<hsize_t>(1, budget / rest);
  }
  return chunk;
}

// Without modification times two runs of the same scenario and seed give identical datasets down
// to the object headers.
void untimed(hid_t creation_plist) {
  check_transient(H5Pset_obj_track_times(creation_plist, false), "turn off modification times");
}

// Groups (and a file's root group) remember their members' creation order, so a run reads back in
// the order it was written; HDF5 lists members by name otherwise.
PropertyList group_properties(hid_t plist_class) {
  PropertyList plist{check_transient(H5Pcreate(plist_class), "create group properties")};
  check_transient(H5Pset_link_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                  "track the creation order of group members");
  untimed(plist);
  return plist;
}

// A dataset of up to compact_bytes (a scalar, a summary, a short table) is compact. A larger one
// is chunked, compressed and checksummed: shuffle gathers the n-th byte of every value, which makes
// float64 series far more compressible by deflate, and after the shuffle deflate level 1 gives
// files within 5% of level 4's in two thirds of the time (a baseline-year run file: 9.5 vs 13.5 ms;
// tests/bench/bench_output.cpp); a sweep writes one file per run. HDF5 cannot chunk an axis of
// length zero (a chunk must be 1 to the axis length), so a dataset without values is contiguous.
Dataset create_dataset(hid_t parent, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape) {
  PropertyList plist{check_transient(H5Pcreate(H5P_DATASET_CREATE), "create dataset properties")};
  untimed(plist);
  // A metric carries a dozen attributes, a region's table a hundred (docs/output.md); kept in the
  // object header (up to 8 are by default; see kCompactAttributes).
  check(H5Pset_attr_phase_change(plist, kCompactAttributes, kCompactAttributes),
        "keep the attributes of dataset compact", parent, name);
  const hsize_t values = shape.empty() ? 1 : product(shape.begin(), shape.end());
  const bool has_values = !shape.empty() && values > 0;
  if (values > 0 && values * H5Tget_size(file_type) <= compact_bytes) {
    check(H5Pset_layout(plist, H5D_COMPACT), "set the compact layout of dataset", parent, name);
  } else if (has_values) {
    const auto chunk = chunk_shape(shape, H5Tget_size(file_type));
    const auto layout = [&](herr_t result) {
      check(result, "set up chunking and compression of dataset", parent, name);
    };
    layout(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()));
    layout(H5Pset_shuffle(plist));
    layout(H5Pset_deflate(plist, 1));
    // Last in the pipeline: the checksum is of the stored bytes, so a flipped bit on disk fails
    // the read of its chunk ("data error detected by Fletcher32 checksum") instead of decoding
    // to wrong values or failing deep inside inflate().
    layout(H5Pset_fletcher32(plist));
  }
  const Dataspace space = make_dataspace(shape);
  return Dataset{
      check(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, plist, H5P_DEFAULT),
            "create dataset", parent, name)};
}

std::vector<hsize_t> shape_of(hid_t dataset_or_attribute, bool is_attribute, hid_t parent,
                              std::string_view name) {
  const Dataspace space{
      check(is_attribute ? H5Aget_space(dataset_or_attribute) : H5Dget_space(dataset_or_attribute),
            "read the shape of", parent, name)};
  const int rank = check(H5Sget_simple_extent_ndims(space), "read the shape of", parent, name);
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  if (rank > 0)
    check(H5Sget_simple_extent_dims(space, shape.data(), nullptr), "read the shape of", parent,
          name);
  return shape;
}

// "a/b/c" -> "a", "a/b", "a/b/c" (an absolute path keeps its leading slash).
std::vector<std::string> prefixes(std::string_view path) {
  std::vector<std::string> out;
  for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string_view prefix = path.substr(0, end);
    if (!prefix.empty() && prefix != "/") out.emplace_back(prefix);
    if (end == std::string_view::npos) return out;
  }
}

bool link_exists(hid_t parent, const std::string& path) {
  return check(H5Lexists(parent, path.c_str(), H5P_DEFAULT), "look up", parent, path) > 0;
}

std::string attribute_operation(std::string_view verb, std::string_view name) {
  return std::string(verb) + " attribute '" + std::string(name) + "' of";
}

// Creates (replacing) and writes an attribute; `data` holds the values in `memory_type`.
void put_attribute(hid_t object, std::string_view name, hid_t file_type, hid_t memory_type,
                   const std::vector<hsize_t>& shape, const void* data) {
  quiet_errors();
  const std::string key(name);
  if (check(H5Aexists(object, key.c_str()), attribute_operation("look up", name), object) > 0)
    check(H5Adelete(object, key.c_str()), attribute_operation("replace", name), object);
  const Dataspace space = make_dataspace(shape);
  const Attribute attribute{
      check(H5Acreate2(object, key.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT),
            attribute_operation("create", name), object)};
  if (product(shape.begin(), shape.end()) > 0)
    check(H5Awrite(attribute, memory_type, data), attribute_operation("write", name), object);
}

Attribute open_attribute(hid_t object, std::string_view name) {
  quiet_errors();
  return Attribute{check(H5Aopen(object, std::string(name).c_str(), H5P_DEFAULT),
                         attribute_operation("open", name), object)};
}

// Strings may be variable-length (what this code writes) or fixed-length (numpy bytes via h5py).
std::vector<std::string> read_strings(hid_t object, std::string_view name) {
  const Attribute attribute = open_attribute(object, name);
  const auto read = attribute_operation("read", name);
  const Datatype stored{check(H5Aget_type(attribute), read, object)};
  if (check(H5Tget_class(stored), read, object) != H5T_STRING)
    throw_unexpected(object, {}, "attribute '" + std::string(name) + "' is not a string");
  const Dataspace space{check(H5Aget_space(attribute), read, object)};
  const auto count =
      static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space), read, object));
  std::vector<std::string> out;
  if (count == 0) return out;
  if (check(H5Tis_variable_str(stored), read, object) > 0) {
    const Datatype memory = utf8_string_type();
    std::vector<char*> pointers(count, nullptr);
    check(H5Aread(attribute, memory, pointers.data()), read, object);
    for (const char* p : pointers) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(memory, space, H5P_DEFAULT, pointers.data());
  } else {
    const std::size_t size = H5Tget_size(stored);
    std::vector<char> buffer(count * size);
    check(H5Aread(attribute, stored, buffer.data()), read, object);
    for (std::size_t i = 0; i < count; ++i) {
      const char* s = buffer.data() + i * size;
      out.emplace_back(s, strnlen(s, size));
    }
  }
  return out;
}

template <class T>
T read_number(hid_t object, std::string_view name) {
  const Attribute attribute = open_attribute(object, name);
  const auto read = attribute_operation("read", name);
  const Dataspace space{check(H5Aget_space(attribute), read, object)};
  const auto count = check(H5Sget_simple_extent_npoints(space), read, object);
  if (count != 1)
    throw_unexpected(object, {},
                     "attribute '" + std::string(name) + "' holds " + std::to_string(count) +
                         " values, expected one");
  T value{};
  check(H5Aread(attribute, NumberType<T>::memory(), &value), read, object);
  return value;
}

}  // namespace

Dataset open_dataset(hid_t parent, const std::string& name) {
  quiet_errors();
  return Dataset{check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "open dataset", parent, name)};
}

namespace detail {

void fail(std::string_view operation, hid_t parent, std::string_view child) {
  const std::string reason = hdf5_reason();  // first: the calls in place() clear HDF5's errors
  throw_error(operation, place(parent, child), reason);
}

void fail(std::string_view operation, const std::filesystem::path& file) {
  throw_error(operation, file.string(), hdf5_reason());
}

}  // namespace detail

File File::create(const std::filesystem::path& path) {
  quiet_errors();
  const PropertyList properties = group_properties(H5P_FILE_CREATE);
  // Room for the seal (seal.hpp), written once the file is whole.
  check_transient(H5Pset_userblock(properties, kSealBytes), "set aside the seal's user block");
  // The 1.8 format stores an attribute larger than 64 KiB (the labels of thousands of stairwells)
  // outside the object header; the oldest format cannot. 1.10 at most, as docs/output.md promises,
  // even when built against a newer HDF5.
  const PropertyList access{check_transient(H5Pcreate(H5P_FILE_ACCESS), "create file properties")};
  check_transient(H5Pset_libver_bounds(access, H5F_LIBVER_V18, H5F_LIBVER_V110),
                  "choose the file format");
  return File{
      check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, properties, access), "create file", path)};
}

File File::open(const std::filesystem::path& path, bool read_write, Seal seal) {
  quiet_errors();
  if (const auto found =
          seal == Seal::checked ? SealCheck{SealState::sealed, {}} : check_seal(path);
      found.state == SealState::damaged ||
      (found.state == SealState::unsealed && seal == Seal::required)) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      throw Hdf5Error("HDF5: cannot open file " + path.string() + ": no such file");
    throw Hdf5Error("cannot open " + path.string() +
                    (found.state == SealState::damaged
                         ? ": it is damaged: " + found.reason
                         : ": " + found.reason + ", so it was not written whole by this commsim"));
  }
  return File{check(H5Fopen(path.c_str(), read_write ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT),
                    "open file", path)};
}

void File::close() {
  quiet_errors();
  if (id() < 0) return;
  const std::string name =
      read_name([&](char* buf, std::size_t n) { return H5Fget_name(id(), buf, n); });
  check(H5Fclose(release()), "close file", std::filesystem::path(name));
}

void flush(hid_t object) {
  quiet_errors();
  check(H5Fflush(object, H5F_SCOPE_GLOBAL), "flush the file of", object);
}

bool exists(hid_t parent, std::string_view path) {
  quiet_errors();
  for (const auto& prefix : prefixes(path))
    if (!link_exists(parent, prefix)) return false;
  return true;
}

Group ensure_group(hid_t parent, std::string_view path) {
  quiet_errors();
  for (const auto& prefix : prefixes(path)) {
    if (link_exists(parent, prefix)) continue;
    const PropertyList properties = group_properties(H5P_GROUP_CREATE);
    Group{check(H5Gcreate2(parent, prefix.c_str(), H5P_DEFAULT, properties, H5P_DEFAULT),
                "create group", parent, prefix)};
  }
  return open_group(parent, path);
}

Group open_group(hid_t parent, std::string_view path) {
  quiet_errors();
  const std::string name(path);
  return Group{check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "open group", parent, name)};
}

std::vector<std::string> children(hid_t group) {
  quiet_errors();
  const Group self = open_group(group, ".");  // a file id stands for its root group
  const PropertyList properties{
      check(H5Gget_create_plist(self), "read the creation properties of", self)};
  unsigned order = 0;
  check(H5Pget_link_creation_order(properties, &order), "read the creation properties of", self);
  const H5_index_t index = (order & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  check(H5Literate(
            self, index, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
              static_cast<std::vector<std::string>*>(out)->emplace_back(name);
              return 0;
            },
            &names),
        "list the members of", self);
  return names;
}

namespace {

// What a walk over a file has visited (object header addresses).
struct Verification {
  std::set<haddr_t> seen;
};

void verify_attributes(hid_t object, hsize_t count) {
  for (hsize_t i = 0; i < count; ++i) {
    const Attribute attribute{check(
        H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_NATIVE, i, H5P_DEFAULT, H5P_DEFAULT),
        "open an attribute of", object)};
    const std::string name =
        read_name([&](char* buf, std::size_t n) { return H5Aget_name(attribute, n, buf); });
    const auto read = attribute_operation("read", name);
    const Datatype type{check(H5Aget_type(attribute), read, object)};
    const Dataspace space{check(H5Aget_space(attribute), read, object)};
    const auto values =
        static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space), read, object));
    const std::size_t size = H5Tget_size(type);
    if (values == 0 || size == 0) continue;
    std::vector<unsigned char> buffer(values * size);
    check(H5Aread(attribute, type, buffer.data()), read, object);
    if (check(H5Tdetect_class(type, H5T_VLEN), read, object) > 0 ||
        check(H5Tis_variable_str(type), read, object) > 0)
      H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer.data());
  }
}

// Every value, a slab of leading-axis rows at a time, so memory stays bounded however large the
// dataset.
void verify_values(hid_t dataset, hid_t parent, std::string_view name) {
  const Datatype type{check(H5Dget_type(dataset), "read the type of", parent, name)};
  const auto shape = shape_of(dataset, false, parent, name);
  const std::size_t size = H5Tget_size(type);
  const hsize_t values = product(shape.begin(), shape.end());
  if (values == 0 || size == 0) return;
  const bool variable = check(H5Tdetect_class(type, H5T_VLEN), "read", parent, name) > 0 ||
                        check(H5Tis_variable_str(type), "read", parent, name) > 0;
  if (shape.empty()) {
    std::vector<unsigned char> buffer(size);
    check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "read dataset",
          parent, name);
    if (variable) {
      const Dataspace scalar = make_dataspace({});
      H5Dvlen_reclaim(type, scalar, H5P_DEFAULT, buffer.data());
    }
    return;
  }
  constexpr hsize_t slab_bytes = 16 * 1024 * 1024;
  const hsize_t row_values = product(shape.begin() + 1, shape.end());
  const hsize_t rows_per_slab =
      std::max<hsize_t>(1, slab_bytes / std::max<hsize_t>(1, row_values * size));
  const Dataspace file_space = make_dataspace(shape);
  for (hsize_t row = 0; row < shape.front(); row += rows_per_slab) {
    std::vector<hsize_t> start(shape.size(), 0), count = shape;
    start[0] = row;
    count[0] = std::min(rows_per_slab, shape.front() - row);
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(),
                              nullptr),
          "select a slab of dataset", parent, name);
    const Dataspace memory = make_dataspace(count);
    std::vector<unsigned char> buffer(product(count.begin(), count.end()) * size);
    check(H5Dread(dataset, type, memory, file_space, H5P_DEFAULT, buffer.data()), "read dataset",
          parent, name);
    if (variable) H5Dvlen_reclaim(type, memory, H5P_DEFAULT, buffer.data());
  }
}

// Calls visit(object, info) for `object` and every object below it, each once however many links
// lead to it (a file whose links form a cycle ends).
template <class Visit>
void walk(hid_t object, Verification& state, unsigned fields, const Visit& visit) {
  H5O_info_t info{};
  check(H5Oget_info2(object, &info, H5O_INFO_BASIC | fields), "read the object header of", object);
  if (!state.seen.insert(info.addr).second) return;
  visit(object, info);
  if (info.type != H5O_TYPE_GROUP) return;
  for (const auto& name : children(object)) {
    // Only hard links lead to objects of this file; a soft or external link is not data here.
    H5L_info_t link{};
    check(H5Lget_info(object, name.c_str(), &link, H5P_DEFAULT), "look up", object, name);
    if (link.type != H5L_TYPE_HARD) continue;
    const Owned<H5Oclose> child{
        check(H5Oopen(object, name.c_str(), H5P_DEFAULT), "open", object, name)};
    walk(child, state, fields, visit);
  }
}

}  // namespace

std::uintmax_t stored_bytes(hid_t object) {
  quiet_errors();
  Verification state;
  const Owned<H5Oclose> self{check(H5Oopen(object, ".", H5P_DEFAULT), "open", object)};
  constexpr std::uintmax_t header_bytes = 4096;  // an object header and its attributes, roughly
  std::uintmax_t bytes = 0;
  walk(self, state, 0, [&](hid_t o, const H5O_info_t& info) {
    bytes += header_bytes + (info.type == H5O_TYPE_DATASET ? H5Dget_storage_size(o) : 0);
  });
  return bytes;
}

void verify(hid_t object) {
  quiet_errors();
  Verification state;
  const Owned<H5Oclose> self{check(H5Oopen(object, ".", H5P_DEFAULT), "open", object)};
  walk(self, state, H5O_INFO_NUM_ATTRS, [](hid_t o, const H5O_info_t& info) {
    verify_attributes(o, info.num_attrs);
    if (info.type == H5O_TYPE_DATASET) verify_values(o, o, {});
  });
}

template <AttributeValue T>
void write_attribute(hid_t object, std::string_view name, const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    const Datatype type = utf8_string_type();
    const char* pointer = value.c_str();
    put_attribute(object, name, type, type, {}, &pointer);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    const Datatype type = utf8_string_type();
    std::vector<const char*> pointers;
    for (const auto& s : value) pointers.push_back(s.c_str());
    put_attribute(object, name, type, type, {pointers.size()}, pointers.data());
  } else {
    put_attribute(object, name, NumberType<T>::file(), NumberType<T>::memory(), {}, &value);
  }
}

template <AttributeValue T>
T read_attribute(hid_t object, std::string_view name) {
  if constexpr (std::is_same_v<T, std::string>) {
    auto strings = read_strings(object, name);
    if (strings.size() != 1)
      throw_unexpected(object, {},
                       "attribute '" + std::string(name) + "' holds " +
                           std::to_string(strings.size()) + " strings, expected one");
    return std::move(strings.front());
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return read_strings(object, name);
  } else {
    return read_number<T>(object, name);
  }
}

template void write_attribute(hid_t, std::string_view, const std::string&);
template void write_attribute(hid_t, std::string_view, const std::vector<std::string>&);
template void write_attribute(hid_t, std::string_view, const std::int64_t&);
template void write_attribute(hid_t, std::string_view, const std::uint64_t&);
template void write_attribute(hid_t, std::string_view, const double&);
template std::string read_attribute(hid_t, std::string_view);
template std::vector<std::string> read_attribute(hid_t, std::string_view);
template std::int64_t read_attribute(hid_t, std::string_view);
template std::uint64_t read_attribute(hid_t, std::string_view);
template double read_attribute(hid_t, std::string_view);

bool has_attribute(hid_t object, std::string_view name) {
  quiet_errors();
  return check(H5Aexists(object, std::string(name).c_str()), attribute_operation("look up", name),
               object) > 0;
}

}  // namespace h5

namespace {

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// A metric as a float64 dataset: [days, n1, ...] for a time series (`days` set), [n1, ...] or a
// scalar for a summary.
void write_metric(hid_t parent, const Metric& metric, std::optional<std::int64_t> days) {
  std::vector<hsize_t> shape;
  std::vector<std::string> axes;
  if (days) {
    shape.push_back(static_cast<hsize_t>(*days));
    axes.emplace_back("day");
  }
  for (const auto& d : metric.dims) {
    shape.push_back(d.labels.size());
    axes.push_back(d.name);
  }
  // H5Dwrite reads as many values as the shape holds, whatever the vector's length.
  if (metric.values.size() != h5::product(shape.begin(), shape.end()))
    h5::throw_unexpected(
        parent, metric.name,
        std::to_string(metric.values.size()) + " values for the shape " + shape_text(shape));
  h5::Dataset dataset = h5::create_dataset(parent, metric.name, H5T_IEEE_F64LE, shape);
  if (!metric.values.empty())
    h5::check(
        H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, metric.values.data()),
        "write dataset", parent, metric.name);
  h5::write_attribute(dataset, "unit", metric.unit);
  h5::write_attribute(dataset, "description", metric.description);
  h5::write_attribute(dataset, "dims", axes);
  for (const auto& d : metric.dims) h5::write_attribute(dataset, "labels_" + d.name, d.labels);
  // How to read the values, from the metric's declaration (docs/output.md).
  if (!metric.combine.empty()) {
    h5::write_attribute(dataset, "combine", metric.combine);
    if (days) {
      h5::write_attribute(dataset, "summary", metric.rule);
    } else {
      h5::write_attribute(dataset, "rule", metric.rule);
      h5::write_attribute(dataset, "source", metric.source);
      h5::write_attribute(dataset, "headline", metric.headline);
      h5::write_attribute(dataset, "headline_kind", metric.headline_kind);
      // Only where known (absent reads as NaN): a community run's summaries carry none, and their
      // datasets stay as they were before region runs.
      if (!std::isnan(metric.headline_weight))
        h5::write_attribute(dataset, "headline_weight", metric.headline_weight);
      h5::write_attribute(dataset, "key", std::int64_t{metric.key});
    }
  }
  h5::close(dataset, "write dataset", parent, metric.name);
}

Metric read_metric(hid_t parent, const std::string& name, std::optional<std::int64_t> days) {
  const h5::Dataset dataset = h5::open_dataset(parent, name);
  const auto shape = h5::shape_of(dataset, false, parent, name);
  const auto axes = h5::read_attribute<std::vector<std::string>>(dataset, "dims");
  if (axes.size() != shape.size() ||
      (days && (axes.empty() || axes.front() != "day" || shape.front() != hsize_t(*days))))
    h5::throw_unexpected(
        parent, name,
        "shape " + shape_text(shape) + " does not match its dims attribute" +
            (days ? " and the " + std::to_string(*days) + " days of the run" : ""));
  Metric metric;
  metric.name = name;
  metric.unit = h5::read_attribute<std::string>(dataset, "unit");
  metric.description = h5::read_attribute<std::string>(dataset, "description");
  for (std::size_t axis = days ? 1 : 0; axis < axes.size(); ++axis)
    metric.dims.push_back({axes[axis], h5::read_attribute<std::vector<std::string>>(
                                           dataset, "labels_" + axes[axis])});
  metric.values.resize(h5::product(shape.begin(), shape.end()));
  if (!metric.values.empty())
    h5::check(
        H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, metric.values.data()),
        "read dataset", parent, name);
  // Files written before the declarations' attributes have none of them.
  if (!h5::has_attribute(dataset, "combine")) return metric;
  metric.combine = h5::read_attribute<std::string>(dataset, "combine");
  metric.rule = h5::read_attribute<std::string>(dataset, days ? "summary" : "rule");
  if (days) return metric;
  metric.source = h5::read_attribute<std::string>(dataset, "source");
  metric.headline = h5::read_attribute<double>(dataset, "headline");
  metric.headline_kind = h5::read_attribute<std::string>(dataset, "headline_kind");
  if (h5::has_attribute(dataset, "headline_weight"))
    metric.headline_weight = h5::read_attribute<double>(dataset, "headline_weight");
  metric.key = h5::read_attribute<std::int64_t>(dataset, "key") != 0;
  return metric;
}

// Every table field is 8 bytes, packed in column order, in memory as in the file.
constexpr std::size_t field_bytes = 8;

// The compound type of a table's rows: file types (little-endian) or memory types (native).
h5::Datatype row_type(const std::vector<Column>& columns, bool in_file, hid_t parent,
                      std::string_view table) {
  h5::Datatype type{h5::check(H5Tcreate(H5T_COMPOUND, field_bytes * columns.size()),
                              "create the row type of table", parent, table)};
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const hid_t field = std::visit(
        [&](const auto& values) {
          using Number = typename std::decay_t<decltype(values)>::value_type;
          return in_file ? h5::NumberType<Number>::file() : h5::NumberType<Number>::memory();
        },
        columns[i].data);
    h5::check(H5Tinsert(type, columns[i].name.c_str(), field_bytes * i, field),
              "add field '" + columns[i].name + "' to table", parent, table);
  }
  return type;
}

}  // namespace

void write_summary(hid_t parent, const Metric& metric) {
  write_metric(parent, metric, std::nullopt);
}

Metric read_summary(hid_t summary, std::string_view name) {
  return read_metric(summary, std::string(name), std::nullopt);
}

void write_table(hid_t parent, const Table& table) {
  h5::quiet_errors();
  if (table.columns.empty()) h5::throw_unexpected(parent, table.name, "a table needs columns");
  const std::size_t rows = table.columns.front().rows();
  for (const auto& c : table.columns)
    if (c.rows() != rows)
      h5::throw_unexpected(parent, table.name,
                           "column '" + c.name + "' has " + std::to_string(c.rows()) +
                               " rows, column '" + table.columns.front().name + "' " +
                               std::to_string(rows));
  const std::size_t width = field_bytes * table.columns.size();
  std::vector<unsigned char> buffer(rows * width);
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    std::visit(
        [&](const auto& values) {
          for (std::size_t r = 0; r < rows; ++r)
            std::memcpy(&buffer[r * width + field_bytes * i], &values[r], field_bytes);
        },
        table.columns[i].data);
  const auto file_type = row_type(table.columns, true, parent, table.name);
  const auto memory_type = row_type(table.columns, false, parent, table.name);
  h5::Dataset dataset = h5::create_dataset(parent, table.name, file_type, {rows});
  if (rows > 0)
    h5::check(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
              "write table", parent, table.name);
  h5::write_attribute(dataset, "description", table.description);
  for (const auto& c : table.columns) {
    h5::write_attribute(dataset, "unit_" + c.name, c.unit);
    h5::write_attribute(dataset, "description_" + c.name, c.description);
    if (!c.labels.empty()) h5::write_attribute(dataset, "labels_" + c.name, c.labels);
  }
  h5::close(dataset, "write table", parent, table.name);
}

Table read_table(hid_t parent, std::string_view name) {
  h5::quiet_errors();
  Table table;
  table.name = name;
  const h5::Dataset dataset = h5::open_dataset(parent, table.name);
  const auto shape = h5::shape_of(dataset, false, parent, name);
  const h5::Datatype stored{h5::check(H5Dget_type(dataset), "read the type of", parent, name)};
  if (shape.size() != 1 || H5Tget_class(stored) != H5T_COMPOUND)
    h5::throw_unexpected(parent, name, "a table must be a 1-D compound dataset");
  const auto rows = static_cast<std::size_t>(shape.front());
  const int fields = h5::check(H5Tget_nmembers(stored), "read the fields of", parent, name);
  for (unsigned i = 0; i < static_cast<unsigned>(fields); ++i) {
    Column c;
    char* field_name = h5::check(H5Tget_member_name(stored, i), "read the fields of", parent, name);
    c.name = field_name;
    H5free_memory(field_name);
    const h5::Datatype field{
        h5::check(H5Tget_member_type(stored, i), "read the fields of", parent, name)};
    const H5T_class_t kind = H5Tget_class(field);
    if (kind == H5T_FLOAT) {
      c.data = std::vector<double>(rows);
    } else if (kind == H5T_INTEGER && H5Tget_sign(field) == H5T_SGN_NONE) {
      c.data = std::vector<std::uint64_t>(rows);
    } else if (kind == H5T_INTEGER) {
      c.data = std::vector<std::int64_t>(rows);
    } else {
      h5::throw_unexpected(parent, name, "field '" + c.name + "' is neither integer nor float");
    }
    if (h5::has_attribute(dataset, "unit_" + c.name))
      c.unit = h5::read_attribute<std::string>(dataset, "unit_" + c.name);
    if (h5::has_attribute(dataset, "description_" + c.name))
      c.description = h5::read_attribute<std::string>(dataset, "description_" + c.name);
    if (h5::has_attribute(dataset, "labels_" + c.name))
      c.labels = h5::read_attribute<std::vector<std::string>>(dataset, "labels_" + c.name);
    table.columns.push_back(std::move(c));
  }
  if (h5::has_attribute(dataset, "description"))
    table.description = h5::read_attribute<std::string>(dataset, "description");
  if (rows == 0 || table.columns.empty()) return table;

  // One read for all fields; HDF5 converts each stored field to its native 8-byte counterpart.
  const std::size_t width = field_bytes * table.columns.size();
  std::vector<unsigned char> buffer(rows * width);
  const auto memory_type = row_type(table.columns, false, parent, name);
  h5::check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
            "read table", parent, name);
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    std::visit(
        [&](auto& values) {
          for (std::size_t r = 0; r < rows; ++r)
            std::memcpy(&values[r], &buffer[r * width + field_bytes * i], field_bytes);
        },
        table.columns[i].data);
  return table;
}

namespace {

// timeseries/, summary/ and events/ under `group`: the layout of a run, shared by its totals and
// by each part of a region. The totals' three groups are always there (`always`), possibly empty;
// a part's timeseries/ and events/ only when it has some (region.detail: full).
void write_contents(hid_t group, std::int64_t days, std::int64_t start_weekday,
                    const std::vector<Metric>& timeseries, const std::vector<Metric>& summaries,
                    const std::vector<Table>& tables, bool always) {
  if (always || !timeseries.empty()) {
    const h5::Group series = h5::ensure_group(group, "timeseries");
    h5::write_attribute(series, "days", days);
    h5::write_attribute(series, "start_weekday", start_weekday);
    for (const auto& m : timeseries) write_metric(series, m, days);
  }
  const h5::Group summary = h5::ensure_group(group, "summary");
  for (const auto& m : summaries) write_metric(summary, m, std::nullopt);
  if (always || !tables.empty()) {
    const h5::Group events = h5::ensure_group(group, "events");
    for (const auto& t : tables) write_table(events, t);
  }
}

// A part's time series have the run's days; a part without timeseries/ has none.
void read_contents(hid_t group, std::int64_t days, std::vector<Metric>& timeseries,
                   std::vector<Metric>& summaries, std::vector<Table>& tables) {
  if (h5::exists(group, "timeseries")) {
    const h5::Group series = h5::open_group(group, "timeseries");
    for (const auto& name : h5::children(series))
      timeseries.push_back(read_metric(series, name, days));
  }
  const h5::Group summary = h5::open_group(group, "summary");
  for (const auto& name : h5::children(summary))
    summaries.push_back(read_metric(summary, name, std::nullopt));
  if (h5::exists(group, "events")) {
    const h5::Group events = h5::open_group(group, "events");
    for (const auto& name : h5::children(events)) tables.push_back(read_table(events, name));
  }
}

// The levels of RunPart, in the order a region run lists its parts, and the group of each.
struct PartLevel {
  std::string_view level;
  std::string_view group;
};
constexpr PartLevel kPartLevels[] = {{"community", "communities"}, {"subdistrict", "subdistricts"}};

void write_parts(hid_t parent, const RunResult& run) {
  std::size_t level_at = 0;  // parts list every community before the subdistricts
  for (const auto& part : run.parts) {
    const auto it = std::find_if(std::begin(kPartLevels), std::end(kPartLevels),
                                 [&](const PartLevel& l) { return l.level == part.level; });
    if (it == std::end(kPartLevels))
      h5::throw_unexpected(parent, {},
                           "part '" + part.name + "' has the level '" + part.level +
                               "', neither community nor subdistrict");
    const auto at = static_cast<std::size_t>(it - std::begin(kPartLevels));
    if (at < level_at)
      h5::throw_unexpected(parent, {},
                           "the " + part.level + " '" + part.name +
                               "' comes after a subdistrict: a run lists every community first");
    level_at = at;
  }
  for (const PartLevel& part_level : kPartLevels) {
    // Named, not a structured binding: clang (the fuzz build) cannot capture one in a lambda.
    const auto& level = part_level.level;
    const auto& group_name = part_level.group;
    if (std::none_of(run.parts.begin(), run.parts.end(),
                     [&](const RunPart& p) { return p.level == level; }))
      continue;
    const h5::Group group = h5::ensure_group(parent, group_name);
    std::set<std::string> seen;
    std::int64_t index = 0;
    for (const auto& part : run.parts) {
      if (part.level != level) continue;
      const std::string link = part_link_name(part.name);
      // Two parts of one name would be written into one group.
      if (!seen.insert(link).second)
        h5::throw_unexpected(group, link, "two " + std::string(group_name) + " are named this");
      const h5::Group g = h5::ensure_group(group, link);
      // The region's order, kept by each group (a tool that copies the file may not keep the
      // creation order of the groups). Not one attribute listing every name: past about 4,000
      // communities it outgrows the object header, and HDF5 1.10's H5Ocopy (a sweep copies each
      // run) crashes on such an attribute of strings (SIGSEGV in H5T__conv_vlen).
      h5::write_attribute(g, "index", index++);
      if (level == "community") h5::write_attribute(g, "subdistrict", part.subdistrict);
      write_contents(g, run.days, run.start_weekday, part.timeseries, part.summaries, part.tables,
                     false);
    }
  }
}

void read_parts(hid_t parent, RunResult& run) {
  for (const auto& [level, group_name] : kPartLevels) {
    if (!h5::exists(parent, group_name)) continue;
    const h5::Group group = h5::open_group(parent, group_name);
    // By `index`; groups without one (a file assembled by other tools) as listed, after them.
    std::vector<std::pair<std::int64_t, std::string>> links;
    for (auto& link : h5::children(group)) {
      const h5::Group g = h5::open_group(group, link);
      const std::int64_t index = h5::has_attribute(g, "index")
                                     ? h5::read_attribute<std::int64_t>(g, "index")
                                     : std::numeric_limits<std::int64_t>::max();
      links.emplace_back(index, std::move(link));
    }
    std::stable_sort(links.begin(), links.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [index, link] : links) {
      RunPart part;
      part.level = level;
      part.name = part_name(link);
      const h5::Group g = h5::open_group(group, link);
      if (h5::has_attribute(g, "subdistrict"))
        part.subdistrict = h5::read_attribute<std::string>(g, "subdistrict");
      read_contents(g, run.days, part.timeseries, part.summaries, part.tables);
      run.parts.push_back(std::move(part));
    }
  }
}

}  // namespace

std::string part_link_name(std::string_view name) {
  if (name.empty()) throw Hdf5Error("HDF5: a community or subdistrict needs a name");
  if (name == ".") return "%2E";
  std::string link;
  link.reserve(name.size());
  for (const char c : name) {
    if (c == '%') {
      link += "%25";
    } else if (c == '/') {
      link += "%2F";
    } else {
      link += c;
    }
  }
  return link;
}

std::string part_name(std::string_view link) {
  std::string name;
  name.reserve(link.size());
  for (std::size_t i = 0; i < link.size(); ++i) {
    const std::string_view escape = link.substr(i, 3);
    if (escape == "%25" || escape == "%2F" || escape == "%2E") {
      name += escape == "%25" ? '%' : escape == "%2F" ? '/' : '.';
      i += 2;
    } else {
      name += link[i];
    }
  }
  return name;
}

void write_run(hid_t parent, const RunResult& run) {
  write_contents(parent, run.days, run.start_weekday, run.timeseries, run.summaries, run.tables,
                 true);
  write_parts(parent, run);
  if (!run.region_tables.empty()) {
    const h5::Group region = h5::ensure_group(parent, "region");
    for (const auto& t : run.region_tables) write_table(region, t);
  }
}

RunResult read_run(hid_t parent) {
  RunResult run;
  {
    const h5::Group series = h5::open_group(parent, "timeseries");
    run.days = h5::read_attribute<std::int64_t>(series, "days");
    run.start_weekday = h5::read_attribute<std::int64_t>(series, "start_weekday");
  }
  // events/ is always written, but a file assembled by other tools may leave it out.
  read_contents(parent, run.days, run.timeseries, run.summaries, run.tables);
  read_parts(parent, run);
  if (h5::exists(parent, "region")) {
    const h5::Group region = h5::open_group(parent, "region");
    for (const auto& name : h5::children(region))
      run.region_tables.push_back(read_table(region, name));
  }
  return run;
}

namespace {

// The attributes of /provenance, in the order of docs/output.md: one list for writing and reading.
template <class P, class Visit>
void for_each_provenance_field(P& p, Visit&& visit) {
  visit("scenario_text", p.scenario_text);
  visit("scenario_resolved", p.scenario_resolved);
  visit("overrides", p.overrides);
  visit("register_file", p.register_file);
  visit("register_digest", p.register_digest);
  visit("register_text", p.register_text);
  visit("region_file", p.region_file);
  visit("region_digest", p.region_digest);
  visit("region_text", p.region_text);
  visit("seed", p.seed);
  visit("run", p.run);
  visit("burn_in_days", p.burn_in_days);
  visit("commsim_version", p.commsim_version);
  visit("git_commit", p.git_commit);
  visit("compiler", p.compiler);
  visit("build_type", p.build_type);
  visit("libraries", p.libraries);
  visit("start_time", p.start_time);
  visit("wall_seconds", p.wall_seconds);
  visit("threads", p.threads);
}

}  // namespace

void write_provenance(hid_t parent, const Provenance& provenance) {
  const h5::Group group = h5::ensure_group(parent, "provenance");
  for_each_provenance_field(provenance, [&](const char* name, const auto& value) {
    h5::write_attribute(group, name, value);
  });
}

Provenance read_provenance(hid_t parent) {
  const h5::Group group = h5::open_group(parent, "provenance");
  Provenance provenance;
  for_each_provenance_field(provenance, [&](const char* name, auto& value) {
    value = h5::read_attribute<std::remove_cvref_t<decltype(value)>>(group, name);
  });
  return provenance;
}

namespace {

// Forces a file's (or a folder's) contents to the disk, so what the rename publishes survives a
// crash of the machine, not only of the process.
void sync_to_disk(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Hdf5Error("cannot open " + path.string() + " to sync it: " + std::strerror(errno));
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot sync a folder (EINVAL); the file itself is on disk by then.
  if (result != 0 && !(error == EINVAL && std::filesystem::is_directory(path)))
    h5::throw_io_error("cannot sync " + path.string() + " to disk", error);
}

}  // namespace

namespace {

// The temporaries of the atomic files being written, for RemoveTemporariesOnSignal: fixed slots
// of plain characters, because a signal handler may only read memory and call unlink().
constexpr std::size_t kTemporarySlots = 8;
constexpr std::size_t kTemporaryPathBytes = 4096;
char g_temporaries[kTemporarySlots][kTemporaryPathBytes];
std::atomic<bool> g_temporary_used[kTemporarySlots];
std::mutex g_temporaries_mutex;

// `<final>.tmp-<pid>`: the pid keeps two processes writing the same name (two sweep shards) off
// each other's file; remove_stale_temporaries finds those of processes that died.
std::filesystem::path temporary_for(const std::filesystem::path& final_path) {
  return final_path.string() + ".tmp-" + std::to_string(::getpid());
}

int register_temporary(const std::filesystem::path& path) {
  const std::string text = path.string();
  if (text.size() >= kTemporaryPathBytes) return -1;
  const std::lock_guard lock(g_temporaries_mutex);
  for (std::size_t i = 0; i < kTemporarySlots; ++i)
    if (!g_temporary_used[i].load()) {
      std::memcpy(g_temporaries[i], text.c_str(), text.size() + 1);
      g_temporary_used[i].store(true);
      return static_cast<int>(i);
    }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0) g_temporary_used[static_cast<std::size_t>(slot)].store(false);
}

extern "C" void remove_temporaries_and_stop(int signal) {
  for (std::size_t i = 0; i < kTemporarySlots; ++i)
    if (g_temporary_used[i].load()) ::unlink(g_temporaries[i]);
  // Ends the process the way the signal would have: the parent sees "killed by SIGTERM".
  std::signal(signal, SIG_DFL);
  ::raise(signal);
}

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

}  // namespace

// "…: no space left on device" again, now naming the file the user asked for and what is free.
void rethrow_naming(const std::filesystem::path& final_path, const StorageError& e) {
  const auto folder = final_path.has_parent_path() ? final_path.parent_path() : ".";
  std::string message = "cannot write " + final_path.string() + ": " + e.what();
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) == 0)
    message +=
        "; " +
        std::to_string(static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize / (1024 * 1024)) +
        " MiB free in " + folder.string();
  throw StorageError(message);
}

RemoveTemporariesOnSignal::RemoveTemporariesOnSignal() {
  for (const int s : kCleanupSignals) std::signal(s, remove_temporaries_and_stop);
}

RemoveTemporariesOnSignal::~RemoveTemporariesOnSignal() {
  for (const int s : kCleanupSignals) std::signal(s, SIG_DFL);
}

int remove_stale_temporaries(const std::filesystem::path& final_path) {
  const auto folder = final_path.has_parent_path() ? final_path.parent_path() : ".";
  const std::string prefix = final_path.filename().string() + ".tmp-";
  int removed = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long long pid = 0;
    const char* digits = name.c_str() + prefix.size();
    const auto [end, parse] = std::from_chars(digits, name.c_str() + name.size(), pid);
    if (parse != std::errc() || *end != '\0' || pid <= 0) continue;
    // Alive (or not ours to judge): kill(pid, 0) fails with ESRCH only when no such process runs.
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    if (std::filesystem::remove(it->path(), ignored)) ++removed;
  }
  return removed;
}

AtomicFile::AtomicFile(std::filesystem::path final_path, std::filesystem::path temporary)
    : final_(std::move(final_path)), temporary_(std::move(temporary)) {
  const auto folder = final_.has_parent_path() ? final_.parent_path() : ".";
  if (!std::filesystem::is_directory(folder))
    throw Hdf5Error("cannot write " + final_.string() + ": the folder " + folder.string() +
                    " does not exist");
  if (temporary_.empty()) temporary_ = temporary_for(final_);
  slot_ = register_temporary(temporary_);
  try {
    file_ = h5::File::create(temporary_);
  } catch (const StorageError& e) {
    unregister_temporary(slot_);
    rethrow_naming(final_, e);
  } catch (...) {
    unregister_temporary(slot_);
    throw;
  }
}

AtomicFile::~AtomicFile() {
  unregister_temporary(slot_);
  if (committed_) return;
  // A failed close leaves nothing to retry: HDF5 has let go of the file either way.
  if (file_.id() >= 0) H5Fclose(file_.release());
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  try {
    // HDF5 keeps a file open until its last object is closed: renaming it then could publish a
    // file that is still being written.
    const auto open_objects = h5::check(
        H5Fget_obj_count(file_, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR),
        "count the open objects of", file_);
    if (open_objects > 0)
      throw Hdf5Error("cannot finish " + temporary_.string() + ": the writer left " +
                      std::to_string(open_objects) + " HDF5 objects open in it");
    // Flushing first puts a full disk's failure here, while the file is still fully open.
    h5::flush(file_);
    file_.close();
    seal_file(temporary_);
  } catch (const StorageError& e) {
    rethrow_naming(final_, e);
  }
  std::filesystem::rename(temporary_, final_);
  committed_ = true;
  sync_to_disk(final_.has_parent_path() ? final_.parent_path() : ".");
}

void write_file_atomically(const std::filesystem::path& final_path,
                           const std::function<void(hid_t file)>& fill) {
  AtomicFile file(final_path);
  try {
    fill(file.id());
  } catch (const StorageError& e) {
    rethrow_naming(final_path, e);
  }
  file.commit();
}

void write_text_atomically(const std::filesystem::path& final_path, const std::string& text) {
  const std::filesystem::path temporary = temporary_for(final_path);
  const int slot = register_temporary(temporary);
  const auto fail = [&](const std::string& what, int error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    unregister_temporary(slot);
    try {
      h5::throw_io_error("cannot " + what + " " + temporary.string(), error);
    } catch (const StorageError& e) {
      rethrow_naming(final_path, e);
    }
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create", errno);
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      const int error = n == 0 ? EIO : errno;
      if (error == EINTR) continue;
      ::close(fd);
      fail("write", error);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("sync", error);
  }
  if (::close(fd) != 0) fail("close", errno);
  std::error_code renamed;
  std::filesystem::rename(temporary, final_path, renamed);
  if (renamed) fail("rename to " + final_path.string() + " the file", renamed.value());
  unregister_temporary(slot);
  sync_to_disk(final_path.has_parent_path() ? final_path.parent_path() : ".");
}

void write_run_file(const std::filesystem::path& path, const RunResult& run,
                    const Provenance& provenance) {
  write_file_atomically(path, [&](hid_t file) {
    write_provenance(file, provenance);
    write_run(file, run);
  });
}

}  // namespace commsim::output
