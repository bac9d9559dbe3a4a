#include "sim/scenario/document.hpp"

#include "sim/scenario/yaml_subset.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

namespace commsim::scenario {

const Node* Node::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node& Node::at_or_insert(std::string_view key, const Location& where) {
  if (kind == Kind::Null) kind = Kind::Mapping;
  if (Node* existing = find(key)) return *existing;
  entries.push_back(Entry{std::string(key), where, Node{}});
  entries.back().value.where = where;
  return entries.back().value;
}

void Node::erase(std::string_view key) {
  std::erase_if(entries, [&](const Entry& e) { return e.key == key; });
}

Node Node::make_scalar(std::string text, Location where) {
  Node n;
  n.kind = Kind::Scalar;
  n.scalar = std::move(text);
  n.where = std::move(where);
  return n;
}

Node Node::make_mapping(Location where) {
  Node n;
  n.kind = Kind::Mapping;
  n.where = std::move(where);
  return n;
}

Node Node::make_sequence(Location where) {
  Node n;
  n.kind = Kind::Sequence;
  n.where = std::move(where);
  return n;
}

namespace {

Location location_of(const YAML::Mark& mark, const std::shared_ptr<const std::string>& file) {
  // yaml-cpp counts from 0; editors and compilers count from 1.
  return Location{file, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
}

Node convert(const YAML::Node& y, const std::shared_ptr<const std::string>& file) {
  const Location where = location_of(y.Mark(), file);
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      return Node::make_scalar(y.Scalar(), where);
    case YAML::NodeType::Sequence: {
      Node n = Node::make_sequence(where);
      for (const auto& item : y) n.items.push_back(convert(item, file));
      return n;
    }
    case YAML::NodeType::Map: {
      Node n = Node::make_mapping(where);
      for (const auto& kv : y) {
        const Location key_where = location_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar())
          throw ScenarioError(key_where, "", "a mapping key must be a plain name");
        const std::string key = kv.first.Scalar();
        if (n.find(key)) throw ScenarioError(key_where, key, "key given twice");
        n.entries.push_back(Node::Entry{key, key_where, convert(kv.second, file)});
      }
      return n;
    }
    default: {
      Node n;
      n.where = where;
      return n;
    }
  }
}

// Block-style YAML, written directly: yaml-cpp's emitter spent most of a scenario load deciding
// how to quote scalars. A scalar is written plain when it cannot be read as anything but
// itself, else double-quoted.
bool plain(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos)
    return s.size() > 1 && s.front() == '-' &&
           (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.') &&
           s.find_first_of(":#,[]{}\"'\n\t\\") == std::string::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && s[i - 1] == ' ') return false;
  }
  return true;
}

void scalar(std::string& out, const std::string& s) {
  if (plain(s)) {
    out += s;
    return;
  }
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

bool empty_collection(const Node& n) {
  return (n.is_sequence() && n.items.empty()) || (n.is_mapping() && n.entries.empty());
}

// Writes `n` as the value after "key:" or "-" (inline: scalars, null, empty collections) or as
// an indented block on the following lines.
void emit(std::string& out, const Node& n, int indent, bool after_dash);

void emit_inline(std::string& out, const Node& n) {
  if (n.is_null())
    out += "~";
  else if (n.is_scalar())
    scalar(out, n.scalar);
  else
    out += n.is_sequence() ? "[]" : "{}";
}

void emit(std::string& out, const Node& n, int indent, bool after_dash) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (n.is_sequence() && !n.items.empty()) {
    bool first = true;
    for (const auto& item : n.items) {
      if (!(first && after_dash)) out += pad;
      first = false;
      out += "- ";
      if (item.is_null() || item.is_scalar() || empty_collection(item)) {
        emit_inline(out, item);
        out += '\n';
      } else {
        emit(out, item, indent + 2, true);
      }
    }
    return;
  }
  if (n.is_mapping() && !n.entries.empty()) {
    bool first = true;
    for (const auto& e : n.entries) {
      if (!(first && after_dash)) out += pad;
      first = false;
      scalar(out, e.key);
      out += ':';
      const Node& v = e.value;
      if (v.is_null() || v.is_scalar()) {
        out += ' ';
        emit_inline(out, v);
        out += '\n';
      } else if (empty_collection(v)) {  // on its own line, as yaml-cpp wrote it
        out += '\n' + pad + "  ";
        emit_inline(out, v);
        out += '\n';
      } else {
        out += '\n';
        emit(out, v, indent + 2, false);
      }
    }
    return;
  }
  emit_inline(out, n);
  out += '\n';
}

}  // namespace

namespace {

// An empty document is an empty mapping at the top of the file.
Node document_or_empty(Node n, const std::shared_ptr<const std::string>& file) {
  if (n.is_null()) n = Node::make_mapping(Location{file, 1, 1});
  return n;
}

Node read_by_yaml_cpp(const std::string& text, const std::shared_ptr<const std::string>& file) {
  try {
    const YAML::Node root = YAML::Load(text);
    return document_or_empty(convert(root, file), file);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(location_of(e.mark, file), "", "not valid YAML: " + e.msg);
  }
}

bool same_location(const Location& a, const Location& b) {
  const bool same_file = a.file == b.file || (a.file && b.file && *a.file == *b.file);
  return same_file && a.line == b.line && a.column == b.column;
}

bool same_tree(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.scalar != b.scalar || !same_location(a.where, b.where) ||
      a.items.size() != b.items.size() || a.entries.size() != b.entries.size())
    return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same_tree(a.items[i], b.items[i])) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto& x = a.entries[i];
    const auto& y = b.entries[i];
    if (x.key != y.key || !same_location(x.key_where, y.key_where) || !same_tree(x.value, y.value))
      return false;
  }
  return true;
}

}  // namespace

Node parse_yaml(const std::string& text, const std::string& file_name) {
  auto file = std::make_shared<const std::string>(file_name);
  if (auto tree = read_yaml_subset(text, file)) return document_or_empty(std::move(*tree), file);
  return read_by_yaml_cpp(text, file);
}

std::string compare_yaml_readers(const std::string& text, const std::string& file_name) {
  auto file = std::make_shared<const std::string>(file_name);
  auto fast = read_yaml_subset(text, file);
  if (!fast) return "declined";
  const Node tree = document_or_empty(std::move(*fast), file);
  Node slow;
  try {
    slow = read_by_yaml_cpp(text, file);
  } catch (const ScenarioError& e) {
    return std::string("the subset reader accepted what yaml-cpp rejects: ") + e.what();
  }
  if (!same_tree(tree, slow))
    return "the trees differ:\n--- subset\n" + to_yaml(tree) + "--- yaml-cpp\n" + to_yaml(slow);
  return "agree";
}

std::string read_text_file(const std::filesystem::path& path) {
  const auto fail = [&](const std::string& problem, const std::string& hint = {}) {
    auto file = std::make_shared<const std::string>(path.string());
    throw ScenarioError(Location{file, 0, 0}, "", problem, hint);
  };
  // A folder opens as an empty stream: without this check it would read as an empty scenario
  // (every default) and run.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    fail("cannot read the file: " + ec.message());
  if (std::filesystem::is_directory(status)) fail("is a folder", "give a scenario file (.yaml)");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::filesystem::exists(status) ? "cannot read the file" : "no such file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Node load_yaml_file(const std::filesystem::path& path) {
  return parse_yaml(read_text_file(path), path.string());
}

void merge_into(Node& base, const Node& overlay) {
  if (base.is_mapping() && overlay.is_mapping()) {
    for (const auto& e : overlay.entries) {
      if (Node* existing = base.find(e.key)) {
        merge_into(*existing, e.value);
      } else {
        base.entries.push_back(e);
      }
    }
    return;
  }
  base = overlay;
}

std::string to_yaml(const Node& node) {
  std::string out;
  emit(out, node, 0, false);
  return out;
}

}  // namespace commsim::scenario
