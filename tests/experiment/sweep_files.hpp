#pragma once
// Comparing whole results files: every dataset (path, type size, shape, raw bytes).

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/output/hdf5.hpp"

namespace commsim::test {

// Every dataset of a file: path -> raw bytes (read in the file's own type, so compound tables
// compare field by field, bit for bit), with the type size and shape prefixed.
inline std::map<std::string, std::string> all_datasets(const std::filesystem::path& file) {
  const auto f = output::h5::open_file(file);
  std::map<std::string, std::string> out;
  H5Ovisit(
      f, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type != H5O_TYPE_DATASET) return 0;
        const hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
        const hid_t type = H5Dget_type(ds);
        const hid_t space = H5Dget_space(ds);
        const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
        const std::size_t size = H5Tget_size(type);
        std::string bytes(n * size, '\0');
        if (n) H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
        const int rank = H5Sget_simple_extent_ndims(space);
        std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
        if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
        std::string key = std::to_string(size) + ":";
        for (auto d : dims) key += std::to_string(d) + ",";
        (*static_cast<std::map<std::string, std::string>*>(data))[name] = key + "|" + bytes;
        H5Sclose(space);
        H5Tclose(type);
        H5Dclose(ds);
        return 0;
      },
      &out);
  return out;
}

inline ::testing::AssertionResult same_files(const std::filesystem::path& a,
                                             const std::filesystem::path& b) {
  const auto x = all_datasets(a);
  const auto y = all_datasets(b);
  if (x.empty()) return ::testing::AssertionFailure() << a << " holds no datasets";
  for (const auto& [name, bytes] : x) {
    const auto it = y.find(name);
    if (it == y.end()) return ::testing::AssertionFailure() << name << " missing in " << b;
    if (it->second != bytes) return ::testing::AssertionFailure() << name << " differs";
  }
  if (x.size() != y.size())
    return ::testing::AssertionFailure() << b << " has datasets that " << a << " lacks";
  return ::testing::AssertionSuccess();
}

}  // namespace commsim::test
