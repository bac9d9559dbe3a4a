// The seal of the files commsim writes (sim/output/seal.hpp): every byte of a sealed file is
// covered, damage and truncation are found before libhdf5 parses the file, and files without a
// seal are told apart from damaged ones.

#include "sim/output/seal.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/output/hdf5.hpp"
#include "support/test_support.hpp"

namespace commsim::output {
namespace {

namespace fs = std::filesystem;
using test::flip_bytes;
using test::read_file;
using test::TempDir;
using test::write_file;

// A small file written as commsim writes every file: atomically, then sealed.
fs::path sealed_file(const TempDir& dir, const std::string& name = "f.h5") {
  const auto path = dir / name;
  write_file_atomically(path, [](hid_t file) {
    h5::write_attribute(file, "fingerprint", std::string("abc"));
    const auto g = h5::ensure_group(file, "run/summary");
    h5::write_attribute(g, "value", 2.5);
    h5::write_attribute(g, "label", std::string("closure_rate"));
  });
  return path;
}

std::string open_error(const fs::path& path, bool sealed) {
  try {
    if (sealed) {
      (void)h5::open_sealed(path);
    } else {
      (void)h5::open_file(path);
    }
  } catch (const Hdf5Error& e) {
    return e.what();
  }
  return "";
}

TEST(Seal, AFileCommsimWritesIsSealedAndOpens) {
  const TempDir dir;
  const auto path = sealed_file(dir);
  const auto found = check_seal(path);
  EXPECT_EQ(found.state, SealState::sealed) << found.reason;
  EXPECT_EQ(read_file(path).substr(0, 15), "commsim seal 1\n");
  EXPECT_EQ(open_error(path, true), "");
  // The same contents give the same seal (the files of one seed are identical bytes).
  const auto again = sealed_file(dir, "g.h5");
  EXPECT_EQ(read_file(path).substr(0, kSealBytes), read_file(again).substr(0, kSealBytes));
}

TEST(Seal, EveryFlippedByteIsFound) {
  const TempDir dir;
  const auto path = sealed_file(dir);
  const auto size = fs::file_size(path);
  ASSERT_GT(size, kSealBytes + 500);
  std::vector<std::uint64_t> missed;
  for (std::uint64_t at = 0; at < size; ++at) {
    flip_bytes(path, at, 1);
    if (check_seal(path).state == SealState::sealed) missed.push_back(at);
    flip_bytes(path, at, 1);
  }
  EXPECT_TRUE(missed.empty()) << missed.size() << " of " << size
                              << " flipped bytes passed, the first at " << missed.front();
  EXPECT_EQ(check_seal(path).state, SealState::sealed) << "flipped back";
}

TEST(Seal, DamageIsReportedBeforeHdf5ReadsTheFile) {
  const TempDir dir;
  const auto path = sealed_file(dir);
  // The superblock made garbage: HDF5 would say "file signature not found"; the seal says what
  // happened to the file.
  flip_bytes(path, kSealBytes, 8);
  const auto found = check_seal(path);
  EXPECT_EQ(found.state, SealState::damaged);
  const std::string error = open_error(path, false);
  EXPECT_NE(error.find(path.string() + ": it is damaged"), std::string::npos) << error;
  EXPECT_EQ(error.find("signature"), std::string::npos) << error;
}

TEST(Seal, ACutOrGrownFileIsDamaged) {
  const TempDir dir;
  const auto path = sealed_file(dir);
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 1);
  auto found = check_seal(path);
  EXPECT_EQ(found.state, SealState::damaged);
  EXPECT_NE(found.reason.find("cut short"), std::string::npos) << found.reason;
  fs::resize_file(path, size + 1);
  found = check_seal(path);
  EXPECT_EQ(found.state, SealState::damaged);
  EXPECT_NE(found.reason.find(std::to_string(size) + " bytes were written"), std::string::npos)
      << found.reason;
  fs::resize_file(path, 100);  // shorter than the user block
  EXPECT_EQ(check_seal(path).state, SealState::damaged);
}

TEST(Seal, UnsealedFilesOpenOnlyWhenASealIsNotRequired) {
  const TempDir dir;
  // An HDF5 file of another program (no user block), and one of commsim's never finished.
  const auto foreign = dir / "foreign.h5";
  {
    const hid_t f = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    H5Fclose(f);
  }
  const auto unfinished = dir / "unfinished.h5";
  {
    auto f = h5::File::create(unfinished);
    h5::write_attribute(f, "fingerprint", std::string("abc"));
    f.close();
  }
  for (const auto& path : {foreign, unfinished}) {
    const auto found = check_seal(path);
    EXPECT_EQ(found.state, SealState::unsealed) << path;
    EXPECT_EQ(open_error(path, false), "") << path;
    const std::string error = open_error(path, true);
    EXPECT_NE(error.find(path.string() + ": it carries no commsim seal"), std::string::npos)
        << error;
  }
  write_file(dir / "text.h5", "not an HDF5 file\n");
  EXPECT_EQ(check_seal(dir / "text.h5").state, SealState::unsealed);
  EXPECT_NE(open_error(dir / "missing.h5", true).find("no such file"), std::string::npos);
}

TEST(Seal, AGarbledSealIsDamagedNotUnsealed) {
  const TempDir dir;
  const auto path = sealed_file(dir);
  const std::string text = read_file(path).substr(0, kSealBytes);
  // A digit of the length, a letter of "crc32", and a byte of the zero padding.
  for (const std::uint64_t at :
       {std::uint64_t{text.find("bytes ") + 6}, std::uint64_t{text.find("crc32")},
        std::uint64_t{kSealBytes - 1}}) {
    flip_bytes(path, at, 1);
    EXPECT_EQ(check_seal(path).state, SealState::damaged) << "byte " << at;
    flip_bytes(path, at, 1);
  }
  // Another spelling of the same values (a leading zero) is not the seal commsim writes.
  const std::string block = text.substr(0, text.find('\0'));
  const std::string padded = "commsim seal 1\nbytes 0" + block.substr(block.find("bytes ") + 6);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.write(padded.data(), static_cast<std::streamsize>(padded.size()));
  }
  EXPECT_EQ(check_seal(path).state, SealState::damaged) << padded;
  // A seal of a version this commsim does not know is no seal of its.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.write("commsim seal 2\n", 15);
  }
  EXPECT_EQ(check_seal(path).state, SealState::unsealed);
  // A seal written again over changed contents is a seal of those contents.
  flip_bytes(path, kSealBytes + 40, 1);
  seal_file(path);
  EXPECT_EQ(check_seal(path).state, SealState::sealed);
}

}  // namespace
}  // namespace commsim::output
