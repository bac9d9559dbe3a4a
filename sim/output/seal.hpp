#pragma once
// The seal of a file commsim wrote. HDF5 sets the first bytes of a file aside for the
// application (the user block; every HDF5 reader, h5py and h5diff included, skips it). commsim
// creates every file with a user block of kSealBytes and, once the file is whole and closed
// (AtomicFile::commit, before it takes its final name), writes there the length and the CRC-32 of
// everything after it. `merge`, `--resume` and `calibrate` check the seal before libhdf5 parses a
// byte (h5::open_sealed), so:
// - a byte flipped anywhere after commsim wrote the file (a chunk, a header, free space) or a file
//   cut short is found, whatever HDF5's own checksums cover;
// - libhdf5 only ever parses files commsim wrote whole. HDF5 1.10 crashes on some malformed files
//   (scripts/fuzz hdf5 finds them); a damaged file no longer reaches that parser.
//
// The user block holds, in ASCII, then zero bytes up to kSealBytes:
//   commsim seal 1\n
//   bytes <decimal count of the bytes after the user block>\n
//   crc32 <8 lower-case hex digits: zlib's crc32 of those bytes>\n
// analysis/load.py checks the same seal with Python's zlib.crc32 (docs/output.md, "Seal").

#include <cstddef>
#include <filesystem>
#include <string>

namespace commsim::output {

inline constexpr std::size_t kSealBytes = 512;

enum class SealState {
  sealed,    // the seal is there and the contents match it
  unsealed,  // no commsim seal: written by another program, an older commsim, or never finished
  damaged,   // a seal whose contents do not match: changed or cut short after it was written
};

struct SealCheck {
  SealState state = SealState::unsealed;
  std::string reason;  // unsealed and damaged: what was found, for the user
};

// Writes the seal of `path`, a closed HDF5 file created with a user block of kSealBytes, and
// syncs it to disk. Throws Hdf5Error naming the file (StorageError for a full disk or the like).
void seal_file(const std::filesystem::path& path);

// Reads the whole of `path` and checks its seal. A missing file is unsealed ("no such file"); one
// that cannot be opened or read throws as seal_file does.
SealCheck check_seal(const std::filesystem::path& path);

}  // namespace commsim::output
