#include "sim/scenario/yaml_subset.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace commsim::scenario {

namespace {

// Deeper nesting is declined, so neither reader's recursion is driven by this one.
constexpr int kMaxDepth = 64;

struct Line {
  std::string_view text;  // without its '\n'
  int number;             // 0-based, as yaml-cpp counts
  int indent;             // leading spaces
};

bool is_null_word(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool key_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool key_char(char c) {
  return key_start(c) || c == '-' || c == '.';
}

// The bytes yaml-cpp's stream may decode as something other than themselves (invalid UTF-8 is
// replaced, a byte-order mark dropped) or read as a line break (NEL, LS, PS): declined anywhere,
// comments included. Tabs, carriage returns and other control characters likewise.
bool plain_bytes(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
      ++p;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff) return false;
    p += extra + 1;
  }
  return true;
}

class Reader {
 public:
  Reader(std::string_view text, const std::shared_ptr<const std::string>& file) : file_(file) {
    std::size_t start = 0;
    int number = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view t = text.substr(start, end - start);
      int indent = 0;
      while (indent < static_cast<int>(t.size()) && t[indent] == ' ') ++indent;
      // Blank lines and whole-line comments carry nothing.
      if (indent < static_cast<int>(t.size()) && t[indent] != '#')
        lines_.push_back({t, number, indent});
      ++number;
      start = end + 1;
    }
  }

  std::optional<Node> read() {
    if (lines_.empty()) return Node{};
    const Line& first = lines_.front();
    for (const Line& l : lines_)
      if (l.indent == 0 &&
          (l.text.starts_with("---") || l.text.starts_with("...") || l.text.starts_with("%")))
        return std::nullopt;
    Node root;
    if (is_entry(first, first.indent) || !mapping(first.indent, 0, root)) return std::nullopt;
    if (next_ != lines_.size()) return std::nullopt;
    return root;
  }

 private:
  Location at(const Line& l, int column) const { return Location{file_, l.number + 1, column + 1}; }

  const Line* current() const { return next_ < lines_.size() ? &lines_[next_] : nullptr; }

  // A block sequence entry: '-' then a space or the end of the line.
  static bool is_entry(const Line& l, int col) {
    return col < static_cast<int>(l.text.size()) && l.text[col] == '-' &&
           (col + 1 == static_cast<int>(l.text.size()) || l.text[col + 1] == ' ');
  }

  // The plain name at `col` followed by ':' and a space or the end of the line; its end, or -1.
  static int key_end(std::string_view t, int col) {
    const int n = static_cast<int>(t.size());
    if (col >= n || !key_start(t[col])) return -1;
    int i = col + 1;
    while (i < n && key_char(t[i])) ++i;
    if (i >= n || t[i] != ':' || (i + 1 < n && t[i + 1] != ' ')) return -1;
    return i;
  }

  // Whether `key` may be added to `map`: a null word is a null key to yaml-cpp, and a key given
  // twice is its error; both are declined.
  static bool new_key(const Node& map, std::string_view key) {
    if (is_null_word(key)) return false;
    for (const auto& e : map.entries)
      if (e.key == key) return false;
    return true;
  }

  static int skip_spaces(std::string_view t, int i) {
    while (i < static_cast<int>(t.size()) && t[i] == ' ') ++i;
    return i;
  }

  // From `i` on (after a value, a key's ':' or an entry's '-'): only spaces, then the end of the
  // line or a comment after a space.
  static bool rest_is_empty(std::string_view t, int i) {
    const int j = skip_spaces(t, i);
    return j == static_cast<int>(t.size()) || (t[j] == '#' && j > i);
  }

  // The block mapping whose first key is at column `col` of the current line.
  bool mapping(int col, int depth, Node& out) {
    if (depth > kMaxDepth) return false;
    out = Node::make_mapping(at(lines_[next_], col));
    bool first = true;
    while (const Line* l = current()) {
      if (!first) {
        if (l->indent < col) break;
        if (l->indent > col) return false;
      }
      first = false;
      const std::string_view t = l->text;
      const int end = key_end(t, col);
      if (end < 0) return false;
      std::string key(t.substr(col, end - col));
      if (!new_key(out, key)) return false;
      Node value;
      if (rest_is_empty(t, end + 1)) {
        ++next_;
        if (!block_value(col, true, depth, value)) return false;
      } else {
        const int v = skip_spaces(t, end + 1);
        if (!inline_value(*l, v, depth, value)) return false;
        ++next_;
      }
      out.entries.push_back(Node::Entry{std::move(key), at(*l, col), std::move(value)});
    }
    return true;
  }

  // The block sequence whose first '-' is at column `col` of the current line.
  bool sequence(int col, int depth, Node& out) {
    if (depth > kMaxDepth) return false;
    out = Node::make_sequence(at(lines_[next_], col));
    bool first = true;
    while (const Line* l = current()) {
      if (!first) {
        if (l->indent < col) break;
        if (l->indent > col) return false;
        // A line at the sequence's column that is not an entry ends a sequence indented as far
        // as its mapping's keys (`key:` then `- item` below it); the mapping reads on.
        if (!is_entry(*l, col)) break;
      }
      first = false;
      const std::string_view t = l->text;
      if (!is_entry(*l, col)) return false;
      Node item;
      if (rest_is_empty(t, col + 1)) {
        ++next_;
        if (!block_value(col, false, depth, item)) return false;
      } else {
        const int v = skip_spaces(t, col + 1);
        if (is_entry(*l, v)) return false;  // "- - x"
        if (key_end(t, v) >= 0) {
          // "- key: value": a mapping whose keys line up at v.
          if (!mapping(v, depth + 1, item)) return false;
        } else {
          if (!inline_value(*l, v, depth, item)) return false;
          ++next_;
        }
      }
      out.items.push_back(std::move(item));
    }
    return true;
  }

  // The value of a key or an entry written on the lines below it. An empty value (null) is
  // declined: yaml-cpp places it at the next token, wherever that is.
  bool block_value(int parent_col, bool of_mapping, int depth, Node& out) {
    const Line* l = current();
    if (!l) return false;
    if (l->indent > parent_col) {
      if (is_entry(*l, l->indent)) return sequence(l->indent, depth + 1, out);
      return mapping(l->indent, depth + 1, out);
    }
    if (of_mapping && l->indent == parent_col && is_entry(*l, parent_col))
      return sequence(parent_col, depth + 1, out);
    return false;
  }

  // A value that starts at column `v` of line `l` and ends on it; the lines below must not go on
  // with it.
  bool inline_value(const Line& l, int v, int depth, Node& out) {
    const std::string_view t = l.text;
    int end = 0;
    const char c = t[v];
    if (c == '"' || c == '\'' || c == '[' || c == '{') {
      if (!flow_item(l, v, depth, out, end, false)) return false;
      if (!rest_is_empty(t, end)) return false;
    } else {
      if (!plain_start(t, v)) return false;
      // A block plain scalar runs to a comment (" #") or the end of the line.
      int i = v;
      int last = v;  // one past its last non-space character
      const int n = static_cast<int>(t.size());
      while (i < n) {
        const char d = t[i];
        if (d == '#' && t[i - 1] == ' ') break;
        if (d == ':' && (i + 1 == n || t[i + 1] == ' ')) return false;
        if (d == '[' || d == ']' || d == '{' || d == '}') return false;
        ++i;
        if (d != ' ') last = i;
      }
      out = scalar(t.substr(v, last - v), at(l, v));
    }
    // A deeper line below would go on with a plain scalar: the callers decline that, since
    // every line after a value must line up with a key or entry they hold.
    return true;
  }

  // Where a plain scalar may start: not at an indicator, '?' or ':', and '-' only before a
  // character that cannot end the scalar (a negative number, a word).
  static bool plain_start(std::string_view t, int v) {
    const char c = t[v];
    static constexpr std::string_view indicators = ",[]{}#&*!|>'\"%@`?:";
    if (indicators.find(c) != std::string_view::npos) return false;
    if (c == '-') return v + 1 < static_cast<int>(t.size()) && key_char(t[v + 1]);
    return true;
  }

  static Node scalar(std::string_view text, Location where) {
    if (is_null_word(text)) {
      Node n;
      n.where = std::move(where);
      return n;
    }
    return Node::make_scalar(std::string(text), std::move(where));
  }

  // A quoted scalar or a flow collection at column `v` (or, in a flow collection, a plain
  // scalar too); `end` is set one past it.
  bool flow_item(const Line& l, int v, int depth, Node& out, int& end, bool in_flow) {
    if (depth > kMaxDepth) return false;
    const std::string_view t = l.text;
    const int n = static_cast<int>(t.size());
    if (v >= n) return false;
    const char c = t[v];
    if (c == '"') {
      int i = v + 1;
      while (i < n && t[i] != '"') {
        if (t[i] == '\\') return false;
        ++i;
      }
      if (i >= n) return false;
      out = Node::make_scalar(std::string(t.substr(v + 1, i - v - 1)), at(l, v));
      end = i + 1;
      return true;
    }
    if (c == '\'') {
      std::string s;
      int i = v + 1;
      while (true) {
        if (i >= n) return false;
        if (t[i] == '\'') {
          if (i + 1 < n && t[i + 1] == '\'') {
            s += '\'';
            i += 2;
            continue;
          }
          break;
        }
        s += t[i++];
      }
      out = Node::make_scalar(std::move(s), at(l, v));
      end = i + 1;
      return true;
    }
    if (c == '[' || c == '{') {
      const bool is_map = c == '{';
      out = is_map ? Node::make_mapping(at(l, v)) : Node::make_sequence(at(l, v));
      const char close = is_map ? '}' : ']';
      int i = skip_spaces(t, v + 1);
      if (i < n && t[i] == close) {
        end = i + 1;
        return true;
      }
      while (true) {
        if (is_map) {
          const int k = key_end(t, i);
          if (k < 0 || k + 1 >= n || t[k + 1] != ' ') return false;
          std::string key(t.substr(i, k - i));
          if (!new_key(out, key)) return false;
          const Location key_where = at(l, i);
          Node value;
          int after = 0;
          if (!flow_item(l, skip_spaces(t, k + 1), depth + 1, value, after, true)) return false;
          out.entries.push_back(Node::Entry{std::move(key), key_where, std::move(value)});
          i = after;
        } else {
          Node item;
          int after = 0;
          if (!flow_item(l, i, depth + 1, item, after, true)) return false;
          out.items.push_back(std::move(item));
          i = after;
        }
        i = skip_spaces(t, i);
        if (i >= n) return false;
        if (t[i] == close) {
          end = i + 1;
          return true;
        }
        if (t[i] != ',') return false;
        i = skip_spaces(t, i + 1);
        if (i >= n || t[i] == close || t[i] == ',') return false;
      }
    }
    if (!in_flow || !plain_start(t, v)) return false;
    // A flow plain scalar runs to ',', a closing bracket or the end; ':' and '#' are declined
    // (a single-pair mapping, a comment).
    int i = v;
    int last = v;
    while (i < n) {
      const char d = t[i];
      if (d == ',' || d == ']' || d == '}') break;
      // Only word characters: yaml-cpp's flow scalars end at more indicators than the block's.
      if (!key_char(d) && d != ' ' && d != '+' && d != '/' && d != '~') return false;
      ++i;
      if (d != ' ') last = i;
    }
    out = scalar(t.substr(v, last - v), at(l, v));
    end = i;
    return true;
  }

  std::shared_ptr<const std::string> file_;
  std::vector<Line> lines_;
  std::size_t next_ = 0;
};

}  // namespace

std::optional<Node> read_yaml_subset(std::string_view text,
                                     const std::shared_ptr<const std::string>& file) {
  if (!plain_bytes(text)) return std::nullopt;
  return Reader(text, file).read();
}

}  // namespace commsim::scenario
