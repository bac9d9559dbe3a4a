#pragma once
// HDF5 files: writing and reading a run in the layout of docs/output.md, and the small toolkit
// (owned identifiers, groups by path, attributes, tables, atomic files) that the sweep writer and
// the tests share with it.
//
// Threads: call these from one thread at a time. An HDF5 build without --enable-threadsafe is not
// reentrant at all, and a thread-safe build (Debian's) serializes every call behind one global
// lock, so writing from several threads gains nothing. Failures are reported as Hdf5Error, never
// printed by HDF5 itself (see h5::quiet_errors).

#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/output/run_result.hpp"
#include "sim/output/seal.hpp"

namespace commsim::output {

// A failed HDF5 operation. The message names the operation, the file and the object path, and
// HDF5's own innermost reason, e.g.
//   HDF5: cannot open group results/run.h5:/timeseries: object 'timeseries' doesn't exist
class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file that could not be written because of where it goes, not because of commsim: the disk or
// the quota is full, the folder is read-only or not ours. The message names the file and the
// cause ("no space left on device"); commands report it without calling it an internal error.
class StorageError : public Hdf5Error {
 public:
  using Hdf5Error::Hdf5Error;
};

namespace h5 {

// An HDF5 identifier that this object owns and closes with `Close` when destroyed. Move-only, and
// converts to hid_t so it can be passed straight to the C API.
template <auto Close>
class Owned {
 public:
  Owned() = default;
  explicit Owned(hid_t id) noexcept : id_(id) {}
  Owned(Owned&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { reset(); }

  hid_t id() const noexcept { return id_; }
  operator hid_t() const noexcept { return id_; }
  hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }
  // Closing can fail only for an invalid id; a destructor has nobody to tell.
  void reset() noexcept {
    if (id_ >= 0) Close(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using Group = Owned<H5Gclose>;
using Dataset = Owned<H5Dclose>;
using Dataspace = Owned<H5Sclose>;
using Datatype = Owned<H5Tclose>;
using PropertyList = Owned<H5Pclose>;
using Attribute = Owned<H5Aclose>;

class File : public Owned<H5Fclose> {
 public:
  File() = default;
  // Creates the file (format of HDF5 1.8 to 1.10), replacing any file of that name. Its root
  // group, like every group ensure_group creates, remembers the order its members were created
  // in, so a run reads back in the order it was written.
  static File create(const std::filesystem::path& path);
  // Opens the file after checking its seal (seal.hpp): a damaged file is an Hdf5Error before
  // libhdf5 reads a byte of it; so is an unsealed one when `seal` is Seal::required. Seal::checked
  // opens without reading the file again: for a file this process has just checked (merge
  // reopens each shard once per run it copies).
  enum class Seal { optional, required, checked };
  static File open(const std::filesystem::path& path, bool read_write = false,
                   Seal seal = Seal::optional);
  // Closes now and reports a failure (the destructor cannot). HDF5 keeps the file open until
  // every object opened in it is closed too.
  void close();

 private:
  explicit File(hid_t id) : Owned(id) {}
};

// Kept for callers written against the first version of this header.
inline File open_file(const std::filesystem::path& path, bool read_write = false) {
  return File::open(path, read_write);
}
// A file commsim wrote whole, read-only: what `merge`, `--resume` and `calibrate` read, so libhdf5
// parses no file that changed after commsim sealed it.
inline File open_sealed(const std::filesystem::path& path) {
  return File::open(path, false, File::Seal::required);
}

// An errno that says where a file goes is the problem (a full disk or quota, a read-only or
// foreign folder), which is reported as StorageError.
bool is_storage_errno(int error);
// Throws "WHAT: <strerror(error)>" as StorageError when is_storage_errno(error), else Hdf5Error.
[[noreturn]] void throw_io_error(const std::string& what, int error);

// Stops HDF5 printing its error stack to stderr from this thread; failures are reported by
// check() instead. Every function here calls it; call it yourself before using the C API directly.
void quiet_errors();

namespace detail {
[[noreturn]] void fail(std::string_view operation, hid_t parent, std::string_view child);
[[noreturn]] void fail(std::string_view operation, const std::filesystem::path& file);
template <class T>
bool failed(T result) {
  if constexpr (std::is_pointer_v<T>) {
    return result == nullptr;
  } else {
    return result < 0;
  }
}
}  // namespace detail

// Throws Hdf5Error when an HDF5 call failed (returned a negative value or a null pointer),
// naming the operation, the object (`parent`'s file and path, then `child` below it) and HDF5's
// reason. Call it right after the failed call: the next HDF5 call clears the reason.
//   h5::Dataset ds{h5::check(H5Dopen2(g, name.c_str(), H5P_DEFAULT), "open dataset", g, name)};
template <class T>
T check(T result, std::string_view operation, hid_t parent, std::string_view child = {}) {
  if (detail::failed(result)) detail::fail(operation, parent, child);
  return result;
}
// The same for an operation on a file that is not open (create, open).
template <class T>
T check(T result, std::string_view operation, const std::filesystem::path& file) {
  if (detail::failed(result)) detail::fail(operation, file);
  return result;
}

// Writes everything buffered for the file that `object` belongs to.
void flush(hid_t object);

// Closes an owned object now and reports a failure (a dataset's last chunks are written when it
// is closed, so a full disk shows here; the destructor could only ignore it).
template <auto Close>
void close(Owned<Close>& object, std::string_view operation, hid_t parent,
           std::string_view child = {}) {
  check(Close(object.release()), operation, parent, child);
}

// Reads back everything under `object` (a file or a group): every attribute and every value of
// every dataset, through the filter pipeline, so a chunk whose Fletcher32 checksum does not match,
// an object header whose checksum does not match, or a structure that does not parse is found.
// Throws Hdf5Error naming the first object that does not read back.
void verify(hid_t object);
// Bytes the datasets under `object` take in their file (as stored: compressed), plus their object
// headers: about what copying it elsewhere with H5Ocopy needs.
std::uintmax_t stored_bytes(hid_t object);

// Whether every group along `path` ("runs/p00001/r002", relative to parent or absolute) exists.
bool exists(hid_t parent, std::string_view path);
// Opens the group at `path`, creating the missing groups along it.
Group ensure_group(hid_t parent, std::string_view path);
Group open_group(hid_t parent, std::string_view path);
Dataset open_dataset(hid_t parent, const std::string& name);
// Names of a group's direct members: in creation order where the file records it (files this
// code writes), else in name order.
std::vector<std::string> children(hid_t group);

// The kinds of attribute docs/output.md uses. Strings are variable-length UTF-8; numbers are
// little-endian int64, uint64 or float64.
template <class T>
concept AttributeValue =
    std::same_as<T, std::string> || std::same_as<T, std::vector<std::string>> ||
    std::same_as<T, std::int64_t> || std::same_as<T, std::uint64_t> || std::same_as<T, double>;

// Writes the attribute, replacing one of the same name. A string is a scalar, a string vector a
// 1-D array (possibly empty), a number a scalar.
template <AttributeValue T>
void write_attribute(hid_t object, std::string_view name, const T& value);
inline void write_attribute(hid_t object, std::string_view name, const char* value) {
  write_attribute(object, name, std::string(value));
}
// Reads an attribute, converting numbers between HDF5's integer and float types. Strings may be
// fixed- or variable-length (h5py writes either); a std::string needs exactly one.
template <AttributeValue T>
T read_attribute(hid_t object, std::string_view name);
bool has_attribute(hid_t object, std::string_view name);

}  // namespace h5

// A table as a 1-D compound dataset `table.name` under parent: one field per column (int64,
// uint64 or float64, in column order), the attribute `description`, and `unit_<column>` and
// `description_<column>` for each column. All columns must have the same number of rows.
void write_table(hid_t parent, const Table& table);
// Reads any 1-D compound dataset of integer and float fields: signed integers come back as int64,
// unsigned as uint64, floats as double. Missing description attributes read as empty.
Table read_table(hid_t parent, std::string_view name);

// timeseries/, summary/ and events/ under parent (a file or a group), as docs/output.md lays out;
// for a region run also communities/, subdistricts/ (one group per RunPart, each laid out like a
// run) and region/ (the region's tables). A community run writes none of those three.
void write_run(hid_t parent, const RunResult& run);
// The parts come back in the order written (every community, then every subdistrict), which each
// part's group keeps in its attribute `index`.
RunResult read_run(hid_t parent);
// The link name of a part's group (communities/<link>): its name with '%' written "%25" and '/'
// "%2F" (HDF5 splits paths at '/'), and the name "." as "%2E" (HDF5 reads it as the group itself).
// Every other character, '.' included, is kept, so most names read as they are; part_name undoes
// it. An empty name has no link name: Hdf5Error.
std::string part_link_name(std::string_view name);
std::string part_name(std::string_view link_name);
// One summary metric (a dataset of summary/, no day axis), e.g. for a sweep's /sweep/summary.
Metric read_summary(hid_t summary, std::string_view name);
// A float64 dataset with the attributes of a summary metric (unit, description, dims,
// labels_<dim>); a calibration's particles and weights are written this way.
void write_summary(hid_t parent, const Metric& metric);
// The group provenance/ under parent, with the attributes of docs/output.md.
void write_provenance(hid_t parent, const Provenance& provenance);
Provenance read_provenance(hid_t parent);

// Chunked datasets carry HDF5's Fletcher32 checksum of each chunk (compact ones live in their
// object header, which HDF5 1.8's format checksums itself), so damage to a file is found when it
// is read (see h5::verify), not copied on.

// Creates `<final>.tmp-<pid>` in the final path's folder, lets `fill` write it, closes it, seals it
// (seal.hpp), syncs it to disk and renames it to the final path (atomic on POSIX; the folder is
// synced too), so a file under the final name is always whole, even after the machine crashes. If
// anything fails the temporary is removed, the final path is left as it was and the exception
// propagates. A missing folder is an error, not created: it is usually a mistyped path. `fill`
// must close every object it opens (an open one fails the write: the file would not be complete).
void write_file_atomically(const std::filesystem::path& final_path,
                           const std::function<void(hid_t file)>& fill);

// The same as an object, for a file written over a longer time (a sweep's results file, filled as
// runs finish): created under `temporary` (default `<final>.tmp-<pid>`), published by commit(),
// removed by the destructor if never committed.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path, std::filesystem::path temporary = {});
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  hid_t id() const { return file_; }
  // Checks that no object is left open, closes, seals (seal.hpp, synced to disk) and renames
  // (then syncs the folder); throws (and removes the temporary) on failure.
  void commit();
  const std::filesystem::path& temporary() const { return temporary_; }
  const std::filesystem::path& final_path() const { return final_; }

 private:
  std::filesystem::path final_, temporary_;
  h5::File file_;
  bool committed_ = false;
  int slot_ = -1;  // in the list RemoveTemporariesOnSignal cleans
};
// A StorageError met while writing the temporary of `final_path`, again naming the file the user
// asked for and the room left in its folder.
[[noreturn]] void rethrow_naming(const std::filesystem::path& final_path, const StorageError& e);

// Temporaries of atomic files still being written are removed when the process is stopped by
// SIGINT, SIGTERM or SIGHUP while this guard lives (then the signal ends the process as before).
// For commands that write one file in one go (`commsim merge`); a sweep handles its signals
// itself and keeps its temporaries inside OUT.h5.partial/, which --resume clears.
class RemoveTemporariesOnSignal {
 public:
  RemoveTemporariesOnSignal();
  ~RemoveTemporariesOnSignal();
  RemoveTemporariesOnSignal(const RemoveTemporariesOnSignal&) = delete;
  RemoveTemporariesOnSignal& operator=(const RemoveTemporariesOnSignal&) = delete;
};
// Removes `<final>.tmp-<pid>` files beside `final_path` left by processes of this machine that
// no longer run (a SIGKILL cannot be caught). Returns how many it removed.
int remove_stale_temporaries(const std::filesystem::path& final_path);

// A text file (a household register, `commsim register`) written the same way: to
// `<final>.tmp-<pid>`, synced, renamed; removed on failure or on SIGINT/SIGTERM/SIGHUP under a
// RemoveTemporariesOnSignal guard.
void write_text_atomically(const std::filesystem::path& final_path, const std::string& text);

// Provenance and run at the root of a new file, written atomically.
void write_run_file(const std::filesystem::path& path, const RunResult& run,
                    const Provenance& provenance);

}  // namespace commsim::output
