#pragma once
// The scenario schema machinery: a typed table of every key (type, default, unit, range,
// meaning, source) that is at once the validator, the binder into C++ structs, and the source
// of `commsim schema` (Markdown and JSON Schema). A key exists once, here; nothing else may
// restate its default or range.
//
// Describing a section (see sim/scenario/scenario_schema.cpp):
//   s.field("households", &Community::households).def(5025).range(1, 1e7)
//       .unit("households").doc("Households in the community.").source("[003] Jinhuayuan");

#include <charconv>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/scenario/document.hpp"

namespace commsim::scenario {

enum class ValueType { Integer, Real, Boolean, String, Choice, Object, List };

// Passed to an object's cross-field checks so a failure names the right line and key.
class CheckContext {
 public:
  CheckContext(const Node& node, std::string path) : node_(node), path_(std::move(path)) {}
  // Throws a ScenarioError located at `key` of this object (or the object itself when "").
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
  const Node& node() const { return node_; }
  const std::string& path() const { return path_; }

 private:
  const Node& node_;
  std::string path_;
};

struct SchemaNode {
  std::string key;  // name within the parent object ("" for the root and list elements)
  ValueType type = ValueType::Object;
  std::string description;
  std::string unit;
  std::string source;                 // where a default comes from (a seed document, a paper)
  std::optional<double> min, max;     // numbers: value range; lists: length range (inclusive)
                                      // (a list's element range is its element's)
  std::optional<double> or_value;     // numbers: one value outside the range also accepted (a
                                      // sentinel, such as -1 for "derived from other keys")
  std::vector<std::string> choices;   // ValueType::Choice
  std::optional<Node> default_value;  // scalars and lists; none = the key is required
  std::vector<std::unique_ptr<SchemaNode>> fields;  // ValueType::Object, in documentation order
  std::unique_ptr<SchemaNode> element;              // ValueType::List
  // Writes a resolved value into the C++ member it describes; `parent` is the enclosing struct.
  std::function<void(const Node& value, void* parent, const std::string& path)> bind;
  // ValueType::Object: cross-field checks run on the bound struct.
  std::vector<std::function<void(const void* object, const CheckContext&)>> checks;

  const SchemaNode* field(std::string_view name) const;
};

std::string format_number(double v);            // shortest text that reads back to the same double
std::string json_string(const std::string& s);  // a JSON string literal, quotes included
// A finite decimal number ("12", "-0.5", "1e4", "+3"), or nothing: hexadecimal, "inf", "nan",
// spaces and trailing text are not numbers. The one number reader of scenarios and sweep files.
std::optional<double> parse_number(std::string_view text);

// Fills in defaults and validates `given` (may be null when the key is absent) against `schema`.
// Returns the resolved tree: every key present, in schema order. Throws ScenarioError.
Node resolve(const SchemaNode& schema, const Node* given, const std::string& path,
             const Location& parent_where);
// Writes a resolved tree into `object`, a struct of the type the schema describes, and runs the
// objects' cross-field checks.
void bind_object(const SchemaNode& schema, const Node& resolved, void* object,
                 const std::string& path);

// The reference: Markdown (one table of every key) and a JSON Schema (draft-07) for editors.
std::string schema_markdown(const SchemaNode& root);
std::string schema_json(const SchemaNode& root);

// ---------------------------------------------------------------------------------------------
// The typed builder.

class FieldSpec {
 public:
  explicit FieldSpec(SchemaNode& node) : node_(&node) {}
  template <class V>
  FieldSpec& def(const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
      node_->default_value = Node::make_scalar(value ? "true" : "false");
    } else if constexpr (std::is_arithmetic_v<V>) {
      node_->default_value = Node::make_scalar(format_number(static_cast<double>(value)));
    } else {
      node_->default_value = Node::make_scalar(std::string(value));
    }
    return *this;
  }
  // A default given as YAML text: lists, or lists of objects.
  FieldSpec& def_yaml(const std::string& yaml);
  FieldSpec& range(double lo, double hi) {
    node_->min = lo;
    node_->max = hi;
    return *this;
  }
  // A number outside the range that the key also takes, with its own meaning (the doc says
  // which): range(0, 1).or_value(-1) accepts -1 and [0, 1], not -0.5.
  FieldSpec& or_value(double v) {
    node_->or_value = v;
    return *this;
  }
  FieldSpec& min(double lo) {
    node_->min = lo;
    return *this;
  }
  // A list of numbers: the range of every element, checked as a scalar key's range is (in the
  // file and through --set, with the element's index in the key path). `range` of a list is its
  // length.
  FieldSpec& each(double lo, double hi) {
    node_->element->min = lo;
    node_->element->max = hi;
    return *this;
  }
  FieldSpec& unit(std::string u) {
    node_->unit = std::move(u);
    return *this;
  }
  FieldSpec& doc(std::string d) {
    node_->description = std::move(d);
    return *this;
  }
  FieldSpec& source(std::string s) {
    node_->source = std::move(s);
    return *this;
  }
  SchemaNode& node() { return *node_; }

 private:
  SchemaNode* node_;
};

namespace detail {
template <class V>
V parse_scalar(const Node& n);
template <>
std::int64_t parse_scalar<std::int64_t>(const Node& n);
template <>
double parse_scalar<double>(const Node& n);
template <>
bool parse_scalar<bool>(const Node& n);
template <>
std::string parse_scalar<std::string>(const Node& n);

template <class V>
constexpr ValueType value_type() {
  if constexpr (std::is_same_v<V, bool>)
    return ValueType::Boolean;
  else if constexpr (std::is_integral_v<V>)
    return ValueType::Integer;
  else if constexpr (std::is_floating_point_v<V>)
    return ValueType::Real;
  else
    return ValueType::String;
}

template <class V>
V read_value(const Node& n) {
  if constexpr (std::is_same_v<V, bool>)
    return parse_scalar<bool>(n);
  else if constexpr (std::is_integral_v<V>)
    return static_cast<V>(parse_scalar<std::int64_t>(n));
  else if constexpr (std::is_floating_point_v<V>)
    return static_cast<V>(parse_scalar<double>(n));
  else
    return parse_scalar<std::string>(n);
}
}  // namespace detail

template <class T>
class ObjectSchema {
 public:
  explicit ObjectSchema(SchemaNode& node) : node_(&node) {}

  // A scalar: integer, real, boolean or free string, by the member's type.
  template <class V>
  FieldSpec field(std::string key, V T::*member) {
    SchemaNode& n = add(std::move(key), detail::value_type<V>());
    n.bind = [member](const Node& value, void* parent, const std::string&) {
      static_cast<T*>(parent)->*member = detail::read_value<V>(value);
    };
    return FieldSpec(n);
  }

  // One of a fixed set of names, bound to an enum (or any value type) by the given table.
  template <class E>
  FieldSpec choice(std::string key, E T::*member, std::vector<std::pair<std::string, E>> options) {
    SchemaNode& n = add(std::move(key), ValueType::Choice);
    for (const auto& o : options) n.choices.push_back(o.first);
    n.bind = [member, options](const Node& value, void* parent, const std::string&) {
      for (const auto& o : options)
        if (o.first == value.scalar) static_cast<T*>(parent)->*member = o.second;
    };
    return FieldSpec(n);
  }

  // A list of scalars.
  template <class V>
  FieldSpec list(std::string key, std::vector<V> T::*member) {
    SchemaNode& n = add(std::move(key), ValueType::List);
    n.element = std::make_unique<SchemaNode>();
    n.element->type = detail::value_type<V>();
    n.bind = [member](const Node& value, void* parent, const std::string&) {
      auto& out = static_cast<T*>(parent)->*member;
      out.clear();
      for (const auto& item : value.items) out.push_back(detail::read_value<V>(item));
    };
    return FieldSpec(n);
  }

  // A list of objects, each described by `describe(ObjectSchema<S>&)`.
  template <class S, class Describe>
  FieldSpec objects(std::string key, std::vector<S> T::*member, Describe describe) {
    SchemaNode& n = add(std::move(key), ValueType::List);
    n.element = std::make_unique<SchemaNode>();
    n.element->type = ValueType::Object;
    ObjectSchema<S> element(*n.element);
    describe(element);
    const SchemaNode* element_schema = n.element.get();
    n.bind = [member, element_schema](const Node& value, void* parent, const std::string& path) {
      auto& out = static_cast<T*>(parent)->*member;
      out.assign(value.items.size(), S{});
      for (std::size_t i = 0; i < value.items.size(); ++i)
        bind_object(*element_schema, value.items[i], &out[i], path + "[" + std::to_string(i) + "]");
    };
    return FieldSpec(n);
  }

  // A nested object (a section), described by `describe(ObjectSchema<S>&)`.
  template <class S, class Describe>
  FieldSpec object(std::string key, S T::*member, std::string description, Describe describe) {
    SchemaNode& n = add(std::move(key), ValueType::Object);
    n.description = std::move(description);
    ObjectSchema<S> child(n);
    describe(child);
    const SchemaNode* child_schema = &n;
    n.bind = [member, child_schema](const Node& value, void* parent, const std::string& path) {
      bind_object(*child_schema, value, &(static_cast<T*>(parent)->*member), path);
    };
    return FieldSpec(n);
  }

  // A check across fields, run after binding; call ctx.fail("key", "what is wrong").
  void check(std::function<void(const T&, const CheckContext&)> f) {
    node_->checks.push_back([f = std::move(f)](const void* object, const CheckContext& ctx) {
      f(*static_cast<const T*>(object), ctx);
    });
  }

 private:
  SchemaNode& add(std::string key, ValueType type) {
    auto n = std::make_unique<SchemaNode>();
    n->key = std::move(key);
    n->type = type;
    node_->fields.push_back(std::move(n));
    return *node_->fields.back();
  }
  SchemaNode* node_;
};

}  // namespace commsim::scenario
