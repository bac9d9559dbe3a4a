#include "sim/experiment/run_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>
#include <variant>

namespace commsim::experiment {

namespace {

class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof v);
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    bytes.insert(bytes.end(), p, p + v.size() * sizeof(T));
  }
  void strs(const std::vector<std::string>& v) {
    pod<std::uint64_t>(v.size());
    for (const auto& s : v) str(s);
  }
  void metric(const output::Metric& m) {
    str(m.name);
    str(m.unit);
    str(m.description);
    pod<std::uint64_t>(m.dims.size());
    for (const auto& d : m.dims) {
      str(d.name);
      strs(d.labels);
    }
    vec(m.values);
    for (const auto* s : {&m.combine, &m.rule, &m.source, &m.headline_kind}) str(*s);
    pod<double>(m.headline);
    pod<double>(m.headline_weight);
    pod<std::uint8_t>(m.key);
    // Metric::weights stays on the worker: in memory only (run_result.hpp), for the combining
    // that a region's run does before it is sent.
  }
  void metrics(const std::vector<output::Metric>& v) {
    pod<std::uint64_t>(v.size());
    for (const auto& m : v) metric(m);
  }
  // Every field of a column: the values' type (the variant's index), values and code labels.
  void column(const output::Column& c) {
    str(c.name);
    str(c.unit);
    str(c.description);
    pod<std::uint8_t>(static_cast<std::uint8_t>(c.data.index()));
    std::visit([&](const auto& v) { vec(v); }, c.data);
    strs(c.labels);
  }
  void tables(const std::vector<output::Table>& v) {
    pod<std::uint64_t>(v.size());
    for (const auto& t : v) {
      str(t.name);
      str(t.description);
      pod<std::uint64_t>(t.columns.size());
      for (const auto& c : t.columns) column(c);
    }
  }
  std::vector<std::uint8_t> bytes;
};

class Reader {
 public:
  Reader(const std::uint8_t* p, std::size_t n) : p_(p), end_(p + n) {}
  template <class T>
  T pod() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    need(n * sizeof(T));
    std::vector<T> v(n);
    std::memcpy(v.data(), p_, n * sizeof(T));
    p_ += n * sizeof(T);
    return v;
  }
  // A count of things that follow, each at least one byte: a damaged count fails here, not in
  // an allocation of its size.
  std::size_t count() {
    const auto n = pod<std::uint64_t>();
    need(n);
    return static_cast<std::size_t>(n);
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& s : v) s = str();
    return v;
  }
  output::Metric metric() {
    output::Metric m;
    m.name = str();
    m.unit = str();
    m.description = str();
    m.dims.resize(count());
    for (auto& d : m.dims) {
      d.name = str();
      d.labels = strs();
    }
    m.values = vec<double>();
    for (auto* s : {&m.combine, &m.rule, &m.source, &m.headline_kind}) *s = str();
    m.headline = pod<double>();
    m.headline_weight = pod<double>();
    m.key = pod<std::uint8_t>() != 0;
    return m;
  }
  std::vector<output::Metric> metrics() {
    std::vector<output::Metric> v(count());
    for (auto& m : v) m = metric();
    return v;
  }
  output::Column column() {
    output::Column c;
    c.name = str();
    c.unit = str();
    c.description = str();
    switch (pod<std::uint8_t>()) {
      case 0:
        c.data = vec<std::int64_t>();
        break;
      case 1:
        c.data = vec<double>();
        break;
      case 2:
        c.data = vec<std::uint64_t>();
        break;
      default:
        throw std::runtime_error("run message: unknown column type");
    }
    c.labels = strs();
    return c;
  }
  std::vector<output::Table> tables() {
    std::vector<output::Table> v(count());
    for (auto& t : v) {
      t.name = str();
      t.description = str();
      t.columns.resize(count());
      for (auto& c : t.columns) c = column();
    }
    return v;
  }
  bool done() const { return p_ == end_; }

 private:
  void need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("truncated run message");
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

}  // namespace

std::vector<std::uint8_t> encode_run(const output::RunResult& r) {
  Writer w;
  w.pod(r.days);
  w.pod(r.start_weekday);
  w.metrics(r.timeseries);
  w.metrics(r.summaries);
  w.tables(r.tables);
  w.pod<std::uint64_t>(r.parts.size());
  for (const auto& p : r.parts) {
    for (const auto* s : {&p.level, &p.name, &p.subdistrict}) w.str(*s);
    w.metrics(p.timeseries);
    w.metrics(p.summaries);
    w.tables(p.tables);
  }
  w.tables(r.region_tables);
  return std::move(w.bytes);
}

output::RunResult decode_run(const std::uint8_t* data, std::size_t size) {
  Reader rd(data, size);
  output::RunResult r;
  r.days = rd.pod<std::int64_t>();
  r.start_weekday = rd.pod<std::int64_t>();
  r.timeseries = rd.metrics();
  r.summaries = rd.metrics();
  r.tables = rd.tables();
  r.parts.resize(rd.count());
  for (auto& p : r.parts) {
    for (auto* s : {&p.level, &p.name, &p.subdistrict}) *s = rd.str();
    p.timeseries = rd.metrics();
    p.summaries = rd.metrics();
    p.tables = rd.tables();
  }
  r.region_tables = rd.tables();
  if (!rd.done()) throw std::runtime_error("run message has trailing bytes");
  return r;
}

}  // namespace commsim::experiment
