#include "sim/experiment/run_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

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
  void metric(const output::Metric& m) {
    str(m.name);
    str(m.unit);
    str(m.description);
    pod<std::uint64_t>(m.dims.size());
    for (const auto& d : m.dims) {
      str(d.name);
      pod<std::uint64_t>(d.labels.size());
      for (const auto& l : d.labels) str(l);
    }
    vec(m.values);
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
  output::Metric metric() {
    output::Metric m;
    m.name = str();
    m.unit = str();
    m.description = str();
    m.dims.resize(pod<std::uint64_t>());
    for (auto& d : m.dims) {
      d.name = str();
      d.labels.resize(pod<std::uint64_t>());
      for (auto& l : d.labels) l = str();
    }
    m.values = vec<double>();
    return m;
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
  w.pod<std::uint64_t>(r.timeseries.size());
  for (const auto& m : r.timeseries) w.metric(m);
  w.pod<std::uint64_t>(r.summaries.size());
  for (const auto& m : r.summaries) w.metric(m);
  w.pod<std::uint64_t>(r.tables.size());
  for (const auto& t : r.tables) {
    w.str(t.name);
    w.str(t.description);
    w.pod<std::uint64_t>(t.columns.size());
    for (const auto& c : t.columns) {
      w.str(c.name);
      w.str(c.unit);
      w.str(c.description);
      const bool integer = std::holds_alternative<std::vector<std::int64_t>>(c.data);
      w.pod<std::uint8_t>(integer ? 1 : 0);
      if (integer)
        w.vec(std::get<std::vector<std::int64_t>>(c.data));
      else
        w.vec(std::get<std::vector<double>>(c.data));
    }
  }
  return std::move(w.bytes);
}

output::RunResult decode_run(const std::uint8_t* data, std::size_t size) {
  Reader rd(data, size);
  output::RunResult r;
  r.days = rd.pod<std::int64_t>();
  r.start_weekday = rd.pod<std::int64_t>();
  r.timeseries.resize(rd.pod<std::uint64_t>());
  for (auto& m : r.timeseries) m = rd.metric();
  r.summaries.resize(rd.pod<std::uint64_t>());
  for (auto& m : r.summaries) m = rd.metric();
  r.tables.resize(rd.pod<std::uint64_t>());
  for (auto& t : r.tables) {
    t.name = rd.str();
    t.description = rd.str();
    t.columns.resize(rd.pod<std::uint64_t>());
    for (auto& c : t.columns) {
      c.name = rd.str();
      c.unit = rd.str();
      c.description = rd.str();
      if (rd.pod<std::uint8_t>())
        c.data = rd.vec<std::int64_t>();
      else
        c.data = rd.vec<double>();
    }
  }
  if (!rd.done()) throw std::runtime_error("run message has trailing bytes");
  return r;
}

}  // namespace commsim::experiment
