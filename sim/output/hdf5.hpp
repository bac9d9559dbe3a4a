#pragma once
// HDF5 files: writing and reading a run (layout in docs/output.md), with small RAII wrappers over
// the C API. Debian's HDF5 is the serial, non-thread-safe build: call these from one thread at a
// time.

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output/run_result.hpp"

namespace commsim::output {

class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace h5 {

// An HDF5 identifier closed by the destructor with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  hid_t id() const { return id_; }
  operator hid_t() const { return id_; }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

Handle create_file(const std::filesystem::path& path);  // truncates
Handle open_file(const std::filesystem::path& path, bool read_write = false);
void flush(hid_t file);

bool exists(hid_t parent, const std::string& path);
// Opens the group at `path` (a/b/c) under parent, creating missing groups.
Handle ensure_group(hid_t parent, const std::string& path);
Handle open_group(hid_t parent, const std::string& path);
// Names of the direct children of a group, in name order.
std::vector<std::string> children(hid_t group);

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);
void write_attribute(hid_t object, const std::string& name, double value);
bool has_attribute(hid_t object, const std::string& name);
std::string read_string_attribute(hid_t object, const std::string& name);
std::vector<std::string> read_strings_attribute(hid_t object, const std::string& name);
std::int64_t read_int_attribute(hid_t object, const std::string& name);
std::uint64_t read_uint_attribute(hid_t object, const std::string& name);
double read_double_attribute(hid_t object, const std::string& name);

// A float64 dataset of the given shape (empty shape: a scalar), chunked and compressed unless
// scalar or empty.
void write_doubles(hid_t parent, const std::string& name, const std::vector<hsize_t>& shape,
                   const std::vector<double>& values);
std::vector<double> read_doubles(hid_t parent, const std::string& name,
                                 std::vector<hsize_t>* shape = nullptr);

}  // namespace h5

// A metric (with the day axis first when it is a time series) as a dataset with its attributes.
void write_metric(hid_t parent, const Metric& m, std::int64_t days /* 0 for a summary */);
Metric read_metric(hid_t parent, const std::string& name, bool timeseries);

void write_table(hid_t parent, const Table& t);
Table read_table(hid_t parent, const std::string& name);

// timeseries/, summary/ and events/ under parent.
void write_run(hid_t parent, const RunResult& r);
RunResult read_run(hid_t parent);
void write_provenance(hid_t parent, const Provenance& p);
Provenance read_provenance(hid_t parent);

// Creates `<final>.tmp-<pid>` beside the final path, lets `fill` write it, then renames it to the
// final path. If fill throws, the temporary is removed and the final path left untouched.
void write_file_atomically(const std::filesystem::path& final_path,
                           const std::function<void(hid_t file)>& fill);
void write_run_file(const std::filesystem::path& path, const RunResult& r, const Provenance& p);

}  // namespace commsim::output
