#include "sim/scenario/document.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

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

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null:
      out << YAML::Null;
      break;
    case Node::Kind::Scalar:
      out << n.scalar;
      break;
    case Node::Kind::Sequence:
      out << YAML::BeginSeq;
      for (const auto& item : n.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Node::Kind::Mapping:
      out << YAML::BeginMap;
      for (const auto& e : n.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

Node parse_yaml(const std::string& text, const std::string& file_name) {
  auto file = std::make_shared<const std::string>(file_name);
  try {
    const YAML::Node root = YAML::Load(text);
    Node n = convert(root, file);
    if (n.is_null()) n = Node::make_mapping(Location{file, 1, 1});
    return n;
  } catch (const YAML::Exception& e) {
    throw ScenarioError(location_of(e.mark, file), "", "not valid YAML: " + e.msg);
  }
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
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, node);
  return std::string(out.c_str()) + "\n";
}

}  // namespace commsim::scenario
