#include "sim/scenario/schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace commsim::scenario {

const SchemaNode* SchemaNode::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f->key == name) return f.get();
  return nullptr;
}

void CheckContext::fail(const std::string& key, const std::string& problem) const {
  if (!key.empty()) {
    for (const auto& e : node_.entries)
      if (e.key == key)
        throw ScenarioError(e.value.where, path_.empty() ? key : path_ + "." + key, problem);
  }
  throw ScenarioError(node_.where, path_, problem);
}

std::string format_number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

FieldSpec& FieldSpec::def_yaml(const std::string& yaml) {
  node_->default_value = parse_yaml(yaml, "<default of " + node_->key + ">");
  return *this;
}

namespace {

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string type_name(ValueType t) {
  switch (t) {
    case ValueType::Integer:
      return "integer";
    case ValueType::Real:
      return "number";
    case ValueType::Boolean:
      return "boolean";
    case ValueType::String:
      return "string";
    case ValueType::Choice:
      return "choice";
    case ValueType::Object:
      return "mapping";
    case ValueType::List:
      return "list";
  }
  return "?";
}

std::string range_text(const SchemaNode& s) {
  std::string r;
  if (s.min && s.max)
    r = "[" + format_number(*s.min) + ", " + format_number(*s.max) + "]";
  else if (s.min)
    r = ">= " + format_number(*s.min);
  else if (s.max)
    r = "<= " + format_number(*s.max);
  return s.or_value ? format_number(*s.or_value) + " or " + r : r;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// What the value must be, in words, for error messages: "an integer in [1, 100]".
std::string expectation(const SchemaNode& s) {
  std::string e;
  switch (s.type) {
    case ValueType::Integer:
      e = "an integer";
      break;
    case ValueType::Real:
      e = "a number";
      break;
    case ValueType::Boolean:
      return "true or false";
    case ValueType::String:
      return "a string";
    case ValueType::Choice:
      return "one of: " + join(s.choices, ", ");
    case ValueType::Object:
      return "a mapping of keys to values";
    case ValueType::List:
      e = s.element ? "a list of " + type_name(s.element->type) + "s" : "a list";
      if (s.element && (s.element->min || s.element->max)) e += " in " + range_text(*s.element);
      if (s.min || s.max) return e + " with a length in " + range_text(s);
      return e;
  }
  const std::string r = range_text(s);
  return r.empty() ? e : e + " in " + r;
}

std::string describe_given(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null:
      return "nothing";
    case Node::Kind::Scalar:
      return "'" + n.scalar + "'";
    case Node::Kind::Sequence:
      return "a list";
    case Node::Kind::Mapping:
      return "a mapping";
  }
  return "?";
}

[[noreturn]] void wrong(const SchemaNode& s, const Node& given, const std::string& path) {
  throw ScenarioError(given.where, path,
                      "expected " + expectation(s) + ", got " + describe_given(given));
}

void check_range(const SchemaNode& s, double v, const Node& given, const std::string& path) {
  if (s.or_value && v == *s.or_value) return;
  if ((s.min && v < *s.min) || (s.max && v > *s.max)) wrong(s, given, path);
}

Node resolve_scalar(const SchemaNode& s, const Node& given, const std::string& path) {
  if (!given.is_scalar()) wrong(s, given, path);
  try {
    switch (s.type) {
      case ValueType::Integer:
        check_range(s, static_cast<double>(detail::parse_scalar<std::int64_t>(given)), given, path);
        break;
      case ValueType::Real:
        check_range(s, detail::parse_scalar<double>(given), given, path);
        break;
      case ValueType::Boolean:
        detail::parse_scalar<bool>(given);
        break;
      case ValueType::Choice:
        if (std::find(s.choices.begin(), s.choices.end(), given.scalar) == s.choices.end()) {
          const std::string close = closest_name(given.scalar, s.choices);
          throw ScenarioError(given.where, path,
                              "expected " + expectation(s) + ", got " + describe_given(given),
                              close.empty() ? "" : "did you mean '" + close + "'?");
        }
        break;
      default:
        break;
    }
  } catch (const std::invalid_argument&) {
    wrong(s, given, path);
  }
  return given;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  // from_chars reads decimal text only, whatever the locale: no hexadecimal ("0x10"), no
  // leading spaces. A leading '+' is allowed, as YAML allows it.
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

namespace detail {

template <>
std::int64_t parse_scalar<std::int64_t>(const Node& n) {
  std::int64_t v = 0;
  const char* first = n.scalar.data();
  const char* last = first + n.scalar.size();
  auto [end, ec] = std::from_chars(first, last, v);
  if (ec == std::errc() && end == last) return v;
  // Allow integral values written as reals ("1e4", "5025.0"), common in hand-written YAML, up
  // to 2^53, the largest range in which every integer is a double (the schema's 9e15 is in it).
  const auto d = parse_number(n.scalar);
  if (d && *d == std::floor(*d) && std::fabs(*d) <= 9007199254740992.0)
    return static_cast<std::int64_t>(*d);
  throw std::invalid_argument(n.scalar);
}

template <>
double parse_scalar<double>(const Node& n) {
  const auto d = parse_number(n.scalar);
  if (!d) throw std::invalid_argument(n.scalar);
  return *d;
}

template <>
bool parse_scalar<bool>(const Node& n) {
  if (n.scalar == "true" || n.scalar == "True" || n.scalar == "TRUE") return true;
  if (n.scalar == "false" || n.scalar == "False" || n.scalar == "FALSE") return false;
  throw std::invalid_argument(n.scalar);
}

template <>
std::string parse_scalar<std::string>(const Node& n) {
  return n.scalar;
}

}  // namespace detail

Node resolve(const SchemaNode& s, const Node* given, const std::string& path,
             const Location& parent_where) {
  if (s.type == ValueType::Object) {
    if (given && !given->is_mapping() && !given->is_null()) wrong(s, *given, path);
    const Location where = given ? given->where : parent_where;
    const bool mapping = given && given->is_mapping();
    if (mapping) {
      for (const auto& e : given->entries) {
        if (!s.field(e.key)) {
          std::vector<std::string> known;
          for (const auto& f : s.fields) known.push_back(f->key);
          const std::string close = closest_name(e.key, known);
          throw ScenarioError(e.key_where, join_path(path, e.key), "unknown key",
                              close.empty() ? "known keys here: " + join(known, ", ")
                                            : "did you mean '" + close + "'?");
        }
      }
    }
    Node out = Node::make_mapping(where);
    out.entries.reserve(s.fields.size());
    std::string child_path = path.empty() ? "" : path + ".";
    const std::size_t prefix = child_path.size();
    for (std::size_t i = 0; i < s.fields.size(); ++i) {
      const SchemaNode& f = *s.fields[i];
      // The given entry of this key: most often at the same position (a resolved tree, in
      // schema order, given again), else searched for.
      const Node::Entry* entry = nullptr;
      if (mapping) {
        const auto& entries = given->entries;
        if (i < entries.size() && entries[i].key == f.key) {
          entry = &entries[i];
        } else {
          for (const auto& e : entries)
            if (e.key == f.key) entry = &e;
        }
      }
      child_path.resize(prefix);
      child_path += f.key;
      Node value = resolve(f, entry ? &entry->value : nullptr, child_path, where);
      const Location key_where = entry ? entry->key_where : value.where;
      out.entries.push_back(Node::Entry{f.key, key_where, std::move(value)});
    }
    return out;
  }

  if (!given) {
    if (!s.default_value)
      throw ScenarioError(parent_where, path, "required key is missing",
                          "expected " + expectation(s));
    // Defaults are resolved like given values so a default list of objects gets its own
    // defaults filled in; they carry the location of the parent, for lack of a better one.
    Node def = s.type != ValueType::List ? *s.default_value
                                         : resolve(s, &*s.default_value, path, parent_where);
    if (s.type != ValueType::List) def.where = parent_where;
    def.defaulted = true;
    return def;
  }

  if (s.type == ValueType::List) {
    if (!given->is_sequence()) wrong(s, *given, path);
    const double n = static_cast<double>(given->items.size());
    if ((s.min && n < *s.min) || (s.max && n > *s.max)) wrong(s, *given, path);
    Node out = Node::make_sequence(given->where);
    out.items.reserve(given->items.size());
    for (std::size_t i = 0; i < given->items.size(); ++i)
      out.items.push_back(resolve(*s.element, &given->items[i],
                                  path + "[" + std::to_string(i) + "]", given->where));
    out.defaulted = given->defaulted;
    return out;
  }
  Node out = resolve_scalar(s, *given, path);
  out.defaulted = given->defaulted;
  return out;
}

void bind_object(const SchemaNode& s, const Node& resolved, void* object, const std::string& path) {
  for (std::size_t i = 0; i < s.fields.size(); ++i) {
    const SchemaNode& f = *s.fields[i];
    if (!f.bind) continue;
    // A resolved tree holds every key in schema order.
    const auto& entries = resolved.entries;
    const Node* value =
        i < entries.size() && entries[i].key == f.key ? &entries[i].value : resolved.find(f.key);
    // Only lists of objects and sections use the path (for their checks' messages).
    if (value)
      f.bind(*value, object,
             f.type == ValueType::Object || f.type == ValueType::List ? join_path(path, f.key)
                                                                      : std::string());
  }
  const CheckContext ctx(resolved, path);
  for (const auto& check : s.checks) check(object, ctx);
}

// ---------------------------------------------------------------------------------------------
// The reference, generated from the same table the loader uses.

namespace {

std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string flow_yaml(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null:
      return "~";
    case Node::Kind::Scalar:
      return n.scalar;
    case Node::Kind::Sequence: {
      std::vector<std::string> parts;
      for (const auto& i : n.items) parts.push_back(flow_yaml(i));
      return "[" + join(parts, ", ") + "]";
    }
    case Node::Kind::Mapping: {
      std::vector<std::string> parts;
      for (const auto& e : n.entries) parts.push_back(e.key + ": " + flow_yaml(e.value));
      return "{" + join(parts, ", ") + "}";
    }
  }
  return "";
}

std::string type_label(const SchemaNode& s) {
  if (s.type == ValueType::List && s.element) {
    return s.element->type == ValueType::Object ? "list of mappings"
                                                : "list of " + type_name(s.element->type);
  }
  if (s.type == ValueType::Choice) return "one of: " + join(s.choices, ", ");
  return type_name(s.type);
}

// A list's range cell gives its length and, when declared, the range of each element.
std::string range_cell(const SchemaNode& s) {
  if (s.type != ValueType::List || !s.element || (!s.element->min && !s.element->max))
    return range_text(s);
  const std::string each = "each " + range_text(*s.element);
  return s.min || s.max ? "length " + range_text(s) + "; " + each : each;
}

struct MarkdownWriter {
  std::ostringstream table;
  std::ostringstream defaults;  // long defaults (lists of mappings) go below the table

  void row(const SchemaNode& s, const std::string& path) {
    std::string def = "required";
    if (s.default_value) {
      def = flow_yaml(*s.default_value);
      if (s.type == ValueType::List && s.element && s.element->type == ValueType::Object) {
        defaults << "\n### Default of `" << path << "`\n\n```yaml\n"
                 << to_yaml(*s.default_value) << "```\n";
        def = "see below";
      } else {
        def = "`" + def + "`";
      }
    }
    table << "| `" << path << "` | " << cell(type_label(s)) << " | " << cell(def) << " | "
          << cell(s.unit) << " | " << cell(range_cell(s)) << " | " << cell(s.description) << " | "
          << cell(s.source) << " |\n";
  }

  void walk(const SchemaNode& s, const std::string& path) {
    if (s.type == ValueType::Object) {
      if (!path.empty())
        table << "| **`" << path << "`** | section |  |  |  | " << cell(s.description) << " |  |\n";
      for (const auto& f : s.fields) walk(*f, join_path(path, f->key));
      return;
    }
    row(s, path);
    if (s.type == ValueType::List && s.element && s.element->type == ValueType::Object)
      for (const auto& f : s.element->fields) walk(*f, path + "[]." + f->key);
  }
};

}  // namespace

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

std::string json_value(const Node& n, ValueType type) {
  switch (n.kind) {
    case Node::Kind::Null:
      return "null";
    case Node::Kind::Scalar:
      return (type == ValueType::Integer || type == ValueType::Real || type == ValueType::Boolean)
                 ? n.scalar
                 : json_string(n.scalar);
    case Node::Kind::Sequence: {
      std::vector<std::string> parts;
      for (const auto& i : n.items) parts.push_back(json_value(i, ValueType::String));
      return "[" + join(parts, ",") + "]";
    }
    case Node::Kind::Mapping: {
      std::vector<std::string> parts;
      for (const auto& e : n.entries)
        parts.push_back(json_string(e.key) + ":" + json_value(e.value, ValueType::String));
      return "{" + join(parts, ",") + "}";
    }
  }
  return "null";
}

void json_schema(const SchemaNode& s, std::ostringstream& out) {
  std::vector<std::string> props;
  if (!s.description.empty()) {
    std::string d = s.description;
    if (!s.unit.empty()) d += " Unit: " + s.unit + ".";
    if (!s.source.empty()) d += " Source: " + s.source + ".";
    props.push_back("\"description\":" + json_string(d));
  }
  switch (s.type) {
    case ValueType::Integer:
      props.push_back("\"type\":\"integer\"");
      break;
    case ValueType::Real:
      props.push_back("\"type\":\"number\"");
      break;
    case ValueType::Boolean:
      props.push_back("\"type\":\"boolean\"");
      break;
    case ValueType::String:
      props.push_back("\"type\":\"string\"");
      break;
    case ValueType::Choice: {
      std::vector<std::string> quoted;
      for (const auto& c : s.choices) quoted.push_back(json_string(c));
      props.push_back("\"enum\":[" + join(quoted, ",") + "]");
      break;
    }
    case ValueType::List:
      props.push_back("\"type\":\"array\"");
      break;
    case ValueType::Object:
      props.push_back("\"type\":\"object\"");
      break;
  }
  const bool numeric = s.type == ValueType::Integer || s.type == ValueType::Real;
  std::vector<std::string> range;
  if (s.min)
    range.push_back(std::string(numeric ? "\"minimum\":" : "\"minItems\":") +
                    format_number(*s.min));
  if (s.max)
    range.push_back(std::string(numeric ? "\"maximum\":" : "\"maxItems\":") +
                    format_number(*s.max));
  if (s.or_value)  // the sentinel or the range
    props.push_back("\"anyOf\":[{\"const\":" + format_number(*s.or_value) + "},{" +
                    join(range, ",") + "}]");
  else
    props.insert(props.end(), range.begin(), range.end());
  if (s.default_value && s.type != ValueType::List)
    props.push_back("\"default\":" + json_value(*s.default_value, s.type));
  out << "{" << join(props, ",");
  if (s.type == ValueType::List && s.element) {
    out << ",\"items\":";
    json_schema(*s.element, out);
  }
  if (s.type == ValueType::Object) {
    out << ",\"additionalProperties\":false,\"properties\":{";
    bool first = true;
    for (const auto& f : s.fields) {
      out << (first ? "" : ",") << json_string(f->key) << ":";
      json_schema(*f, out);
      first = false;
    }
    out << "}";
    std::vector<std::string> required;
    for (const auto& f : s.fields)
      if (f->type != ValueType::Object && !f->default_value)
        required.push_back(json_string(f->key));
    if (!required.empty()) out << ",\"required\":[" << join(required, ",") << "]";
  }
  out << "}";
}

}  // namespace

std::string schema_markdown(const SchemaNode& root) {
  MarkdownWriter w;
  w.table << "| key | type | default | unit | range | meaning | source |\n"
             "|---|---|---|---|---|---|---|\n";
  w.walk(root, "");
  return w.table.str() + w.defaults.str();
}

std::string schema_json(const SchemaNode& root) {
  std::ostringstream out;
  out << "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"commsim scenario\",";
  std::ostringstream body;
  json_schema(root, body);
  std::string b = body.str();
  // A region scenario's `region` is no key of the schema (its rows are key paths of it; read by
  // sim/scenario/region.cpp): an object an editor leaves to commsim validate.
  const std::string first = "\"properties\":{";
  if (const auto at = b.find(first); at != std::string::npos)
    b.insert(at + first.size(),
             "\"region\":{\"type\":\"object\",\"description\":\"A region: subdistricts and "
             "communities (docs/scenario.md, Region); checked by commsim validate.\"},");
  out << b.substr(1) << "\n";  // splice the root object's members after the header
  return out.str();
}

}  // namespace commsim::scenario
