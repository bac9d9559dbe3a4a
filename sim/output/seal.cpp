#include "sim/output/seal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <vector>

#include "sim/output/hdf5.hpp"

namespace commsim::output {
namespace {

constexpr std::string_view kMagic = "commsim seal ";
constexpr std::string_view kVersion = "1";

// A file descriptor closed when it goes out of scope.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void io_failure(std::string_view what, const std::filesystem::path& path) {
  const int error = errno;  // before building the message, which may allocate
  h5::throw_io_error("cannot " + std::string(what) + " " + path.string(), error);
}

struct Contents {
  std::uint64_t bytes = 0;  // after the user block
  std::uint32_t crc = 0;
};

// The length and CRC-32 of everything after the user block, read in 64 KiB pieces.
Contents hash_after_block(int fd, const std::filesystem::path& path) {
  Contents c;
  c.crc = static_cast<std::uint32_t>(::crc32_z(0, nullptr, 0));
  std::vector<unsigned char> buffer(1 << 16);
  for (off_t at = static_cast<off_t>(kSealBytes);;) {
    const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), at);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_failure("read", path);
    }
    if (n == 0) break;
    c.crc = static_cast<std::uint32_t>(::crc32_z(c.crc, buffer.data(), static_cast<size_t>(n)));
    c.bytes += static_cast<std::uint64_t>(n);
    at += n;
  }
  return c;
}

std::string seal_text(const Contents& c) {
  std::array<char, 9> hex{};
  std::snprintf(hex.data(), hex.size(), "%08x", c.crc);
  return std::string(kMagic) + std::string(kVersion) + "\nbytes " + std::to_string(c.bytes) +
         "\ncrc32 " + hex.data() + "\n";
}

// "<key> <value>\n" at the front of `text`, the value's digits in `base`; advances `text`.
template <class T>
bool take_field(std::string_view& text, std::string_view key, int base, T& value) {
  if (text.substr(0, key.size()) != key || text.size() <= key.size() || text[key.size()] != ' ')
    return false;
  text.remove_prefix(key.size() + 1);
  const auto end = text.find('\n');
  if (end == std::string_view::npos || end == 0) return false;
  const auto digits = text.substr(0, end);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return false;
  text.remove_prefix(end + 1);
  return true;
}

}  // namespace

void seal_file(const std::filesystem::path& path) {
  Descriptor file{::open(path.c_str(), O_RDWR | O_CLOEXEC)};
  if (file.fd < 0) io_failure("open to seal", path);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) io_failure("read the size of", path);
  if (static_cast<std::uint64_t>(info.st_size) < kSealBytes)
    throw Hdf5Error("cannot seal " + path.string() + ": it is shorter than its user block");
  const std::string text = seal_text(hash_after_block(file.fd, path));
  std::array<char, kSealBytes> block{};
  std::copy(text.begin(), text.end(), block.begin());
  for (std::size_t done = 0; done < block.size();) {
    const ssize_t n =
        ::pwrite(file.fd, block.data() + done, block.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;  // nothing written and no error: errno would be an earlier one's
    if (n <= 0) io_failure("write the seal of", path);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(file.fd) != 0) io_failure("sync the seal of", path);
}

SealCheck check_seal(const std::filesystem::path& path) {
  Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0 && errno == ENOENT) return {SealState::unsealed, "no such file"};
  if (file.fd < 0) io_failure("open", path);
  std::array<char, kSealBytes> block{};
  std::size_t got = 0;
  while (got < block.size()) {
    const ssize_t n =
        ::pread(file.fd, block.data() + got, block.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_failure("read", path);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  std::string_view text(block.data(), got);
  if (text.substr(0, kMagic.size()) != kMagic)
    return {SealState::unsealed, "it carries no commsim seal"};
  text.remove_prefix(kMagic.size());
  if (text.substr(0, kVersion.size() + 1) != std::string(kVersion) + "\n")
    return {SealState::unsealed, "its seal is of a version this commsim does not know"};
  text.remove_prefix(kVersion.size() + 1);
  Contents sealed;
  // Only the text seal_file writes: its fields parsed, then written again, must give the block
  // back byte for byte (no leading zeros, upper-case digits or other spellings of one value; the
  // same rule as analysis/load.py's).
  const bool parsed = take_field(text, "bytes", 10, sealed.bytes) &&
                      take_field(text, "crc32", 16, sealed.crc) &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c == '\0'; });
  const std::string canonical = parsed ? seal_text(sealed) : std::string();
  if (!parsed || got < kSealBytes || std::string_view(block.data(), canonical.size()) != canonical)
    return {SealState::damaged,
            "its seal (the first " + std::to_string(kSealBytes) + " bytes) is garbled"};
  const Contents found = hash_after_block(file.fd, path);
  if (found.bytes != sealed.bytes)
    return {SealState::damaged, std::to_string(sealed.bytes + kSealBytes) +
                                    " bytes were written, " +
                                    std::to_string(found.bytes + kSealBytes) + " are there" +
                                    (found.bytes < sealed.bytes ? " (cut short)" : "")};
  if (found.crc != sealed.crc)
    return {SealState::damaged,
            "its contents do not match the checksum in its seal (changed after it was written)"};
  return {SealState::sealed, {}};
}

}  // namespace commsim::output
