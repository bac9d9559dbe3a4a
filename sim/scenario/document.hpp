#pragma once
// A YAML document as a plain tree whose every node remembers where it came from (file, line,
// column). Scenario files, their `extends` bases and `--set` overrides are merged in this
// form, so an error found after merging still names the file and line the value came from.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/error.hpp"

namespace commsim::scenario {

struct Node {
  enum class Kind { Null, Scalar, Sequence, Mapping };
  struct Entry;

  Kind kind = Kind::Null;
  std::string scalar;          // Kind::Scalar
  std::vector<Node> items;     // Kind::Sequence
  std::vector<Entry> entries;  // Kind::Mapping, in file order
  Location where;
  // A schema default filled in by resolve() (not written by the scenario, a base or --set); kept
  // when a resolved tree is resolved again.
  bool defaulted = false;

  bool is_null() const { return kind == Kind::Null; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_sequence() const { return kind == Kind::Sequence; }
  bool is_mapping() const { return kind == Kind::Mapping; }

  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  // The entry for key, created (as Null) when missing. Only on mappings (or Null, made a mapping).
  Node& at_or_insert(std::string_view key, const Location& where);
  void erase(std::string_view key);

  static Node make_scalar(std::string text, Location where = {});
  static Node make_mapping(Location where = {});
  static Node make_sequence(Location where = {});
};

struct Node::Entry {
  std::string key;
  Location key_where;
  Node value;
};

// Parse YAML text; `file_name` is what error messages call the source. Text in the block-style
// subset scenario files are written in is read by read_yaml_subset (yaml_subset.hpp), anything
// else by yaml-cpp; both give the same tree.
Node parse_yaml(const std::string& text, const std::string& file_name);
// How the subset reader and yaml-cpp read `text`, for the tests and the fuzzer that compare them:
// "declined" (the subset reader leaves it to yaml-cpp), "agree" (the same kinds, scalars, keys in
// order and every line and column), or what differs.
std::string compare_yaml_readers(const std::string& text, const std::string& file_name);
// Read and parse a file; a missing or unreadable file is a ScenarioError.
Node load_yaml_file(const std::filesystem::path& path);
std::string read_text_file(const std::filesystem::path& path);

// overlay's keys override base's; mappings merge recursively, anything else is replaced whole.
void merge_into(Node& base, const Node& overlay);

// Block-style YAML text for the tree.
std::string to_yaml(const Node& node);

}  // namespace commsim::scenario
