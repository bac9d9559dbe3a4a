#include "sim/scenario/document.hpp"

#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
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

Location location_of(const yaml_mark_t& mark, const std::shared_ptr<const std::string>& file) {
  // libyaml counts from 0; editors and compilers count from 1.
  return Location{file, static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1};
}

// Bounds that keep a hostile file from exhausting the stack or memory: nesting deeper than any
// scenario, or aliases that expand to more nodes than any scenario has (a "billion laughs").
constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxNodes = 1'000'000;

// The tree of the first document of `text`, from libyaml's events (libyaml rather than
// yaml-cpp's parser: yaml-cpp took about 2 ms of CPU, most of a scenario load, for the 220
// lines of the baseline; see tests/bench/bench_scenario.cpp). As yaml-cpp's Load: a plain
// scalar ~, null, Null, NULL or nothing is null; tags are ignored; an alias is a copy of its
// anchor's node.
class EventParser {
 public:
  EventParser(const std::string& text, std::shared_ptr<const std::string> file)
      : file_(std::move(file)) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~EventParser() { yaml_parser_delete(&parser_); }
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  Node document() {
    for (;;) {
      Event e(*this);
      switch (e.ev.type) {
        case YAML_STREAM_END_EVENT:
          return Node{};
        case YAML_DOCUMENT_START_EVENT: {
          Node root;
          {
            Event first(*this);
            root = node(first.ev, 0);
          }
          const Event end(*this);  // text after the root node is an error here, not ignored
          return root;
        }
        default:
          break;
      }
    }
  }

 private:
  struct Event {
    explicit Event(EventParser& p) {
      if (!yaml_parser_parse(&p.parser_, &ev)) p.fail();
    }
    ~Event() { yaml_event_delete(&ev); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    yaml_event_t ev{};
  };

  [[noreturn]] void fail() {
    std::string problem = parser_.problem ? parser_.problem : "unreadable text";
    if (parser_.context) problem = std::string(parser_.context) + ": " + problem;
    const yaml_mark_t mark = parser_.problem ? parser_.problem_mark : parser_.mark;
    throw ScenarioError(location_of(mark, file_), "", "not valid YAML: " + problem);
  }

  void count(const yaml_mark_t& mark, std::size_t nodes) {
    nodes_ += nodes;
    if (nodes_ > kMaxNodes)
      throw ScenarioError(location_of(mark, file_), "",
                          "not valid YAML: more than " + std::to_string(kMaxNodes) +
                              " values (aliases that expand without bound?)");
  }

  static std::size_t size_of(const Node& n) {
    std::size_t k = 1;
    for (const auto& i : n.items) k += size_of(i);
    for (const auto& e : n.entries) k += size_of(e.value);
    return k;
  }

  void remember(const yaml_char_t* anchor, const Node& n) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = n;
  }

  // The node that starts with event `ev` (its start event already read).
  Node node(const yaml_event_t& ev, std::size_t depth) {
    const Location where = location_of(ev.start_mark, file_);
    if (depth > kMaxDepth)
      throw ScenarioError(
          where, "",
          "not valid YAML: nested more than " + std::to_string(kMaxDepth) + " levels deep");
    count(ev.start_mark, 1);
    switch (ev.type) {
      case YAML_SCALAR_EVENT: {
        const auto& sc = ev.data.scalar;
        std::string text(reinterpret_cast<const char*>(sc.value), sc.length);
        Node n;
        if (sc.style == YAML_PLAIN_SCALAR_STYLE &&
            (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL"))
          n.where = where;
        else
          n = Node::make_scalar(std::move(text), where);
        remember(sc.anchor, n);
        return n;
      }
      case YAML_ALIAS_EVENT: {
        const auto it = anchors_.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
        if (it == anchors_.end())
          throw ScenarioError(where, "",
                              std::string("not valid YAML: unknown anchor '") +
                                  reinterpret_cast<const char*>(ev.data.alias.anchor) + "'");
        count(ev.start_mark, size_of(it->second));
        return it->second;
      }
      case YAML_SEQUENCE_START_EVENT: {
        Node n = Node::make_sequence(where);
        for (;;) {
          Event item(*this);
          if (item.ev.type == YAML_SEQUENCE_END_EVENT) break;
          n.items.push_back(node(item.ev, depth + 1));
        }
        remember(ev.data.sequence_start.anchor, n);
        return n;
      }
      case YAML_MAPPING_START_EVENT: {
        Node n = Node::make_mapping(where);
        for (;;) {
          Event key(*this);
          if (key.ev.type == YAML_MAPPING_END_EVENT) break;
          const Location key_where = location_of(key.ev.start_mark, file_);
          Node k = node(key.ev, depth + 1);
          if (!k.is_scalar())
            throw ScenarioError(key_where, "", "a mapping key must be a plain name");
          Event value(*this);
          Node v = node(value.ev, depth + 1);
          if (n.find(k.scalar)) throw ScenarioError(key_where, k.scalar, "key given twice");
          n.entries.push_back(Node::Entry{std::move(k.scalar), key_where, std::move(v)});
        }
        remember(ev.data.mapping_start.anchor, n);
        return n;
      }
      default: {
        Node n;
        n.where = where;
        return n;
      }
    }
  }

  yaml_parser_t parser_{};
  std::shared_ptr<const std::string> file_;
  std::map<std::string, Node> anchors_;
  std::size_t nodes_ = 0;
};

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

Node parse_yaml(const std::string& text, const std::string& file_name) {
  auto file = std::make_shared<const std::string>(file_name);
  EventParser parser(text, file);
  Node n = parser.document();
  if (n.is_null()) n = Node::make_mapping(Location{file, 1, 1});
  return n;
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
