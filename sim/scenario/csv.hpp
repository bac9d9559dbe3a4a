#pragma once
// CSV as scenarios read it (a household register, a region's table of communities): RFC 4180
// quoting, UTF-8, a byte-order mark allowed, LF, CR LF or CR line ends; every field knows the line
// and column it starts at, so a message can point at the cell.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"

namespace commsim::scenario {

// One CSV record: its fields and where each starts (1-based line and column; a quoted field may
// span lines), RFC 4180 quoting.
struct Record {
  std::vector<std::string> fields;
  std::vector<int> lines;
  std::vector<int> columns;
  int line = 0;  // where the record starts
  bool blank() const {
    return std::all_of(fields.begin(), fields.end(), [](const std::string& f) {
      return f.find_first_not_of(" \t") == std::string::npos;
    });
  }
};

class CsvReader {
 public:
  CsvReader(const std::string& text, std::shared_ptr<const std::string> file, std::string key)
      : text_(text), file_(std::move(file)), key_(std::move(key)) {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = line_start_ = 3;  // a byte order mark
  }

  // The next record that is not a blank line (nor one of empty fields only, as spreadsheets
  // leave: ",,,"); false at the end of the text.
  bool next(Record& r) {
    while (pos_ < text_.size()) {
      r.fields.clear();
      r.lines.clear();
      r.columns.clear();
      r.line = line_;
      if (at_line_end()) {
        end_line();
        continue;
      }
      for (;;) {
        r.lines.push_back(line_);
        r.columns.push_back(column());
        r.fields.push_back(field());
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size()) end_line();
        break;
      }
      if (!r.blank()) return true;
    }
    return false;
  }

  Location here() const { return Location{file_, line_, column()}; }

 private:
  bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }
  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }
  void end_line() {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  std::string field() {
    std::string out;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const Location open = here();
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size())
          throw ScenarioError(open, key_, "a quoted field is never closed",
                              "end it with '\"'; a '\"' inside a field is written '\"\"'");
        const char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            out += '"';
            ++pos_;
            continue;
          }
          break;
        }
        // A line break inside quotes is kept; CR LF, LF and a lone CR each count one line.
        if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n')))
          ++line_, line_start_ = pos_;
        out += c;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end())
        throw ScenarioError(here(), key_, "unexpected text after a quoted field",
                            "expected ',' or a line end");
      return out;
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      if (text_[pos_] == '"')
        throw ScenarioError(here(), key_, "a '\"' inside an unquoted field",
                            "quote the whole field and write the '\"' as '\"\"'");
      out += text_[pos_++];
    }
    return out;
  }

  const std::string& text_;
  std::shared_ptr<const std::string> file_;
  std::string key_;  // the scenario key that names the file, for messages
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
};

// Whether s is UTF-8 without control characters (a tab aside): the register's names become HDF5
// labels and its bytes a provenance string, both UTF-8; a NUL would cut them short.
bool clean_utf8(const std::string& s);

}  // namespace commsim::scenario
