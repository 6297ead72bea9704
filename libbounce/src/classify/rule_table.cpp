// Parsing the rule tables (TSV, and JSON for user rules) into typed rows.

#include "rule_table.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <span>

#include "bounce/error.hpp"
#include "bounce/status_code.hpp"
#include "io/line_splitter.hpp"
#include "text_util.hpp"

namespace bounce::rules {
namespace {

// One parsed row: cells by column name, plus where it came from.
class Row {
 public:
  Row(std::string_view file, std::size_t line) : file_(file), line_(line) {}

  void set(std::string_view column, std::string_view value) { cells_[std::string(column)] = value; }
  bool has(std::string_view column) const { return cells_.count(std::string(column)) != 0; }

  // The cell, "" when absent.
  std::string_view get(std::string_view column) const {
    const auto it = cells_.find(std::string(column));
    return it == cells_.end() ? std::string_view{} : std::string_view(it->second);
  }
  // The cell, or an error when absent or empty.
  std::string_view require(std::string_view column) const {
    const std::string_view v = get(column);
    if (v.empty()) fail("missing value for '" + std::string(column) + "'");
    return v;
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw RuleError(std::string(file_), line_, message);
  }
  std::size_t line() const { return line_; }

 private:
  std::string_view file_;
  std::size_t line_;
  std::unordered_map<std::string, std::string> cells_;
};

bool is_default(std::string_view v) { return v.empty() || v == "-"; }

template <class E>
E parse_enum(const Row& row, std::string_view column, std::string_view value, const char* what) {
  if (const auto e = from_string<E>(value)) return *e;
  row.fail("unknown " + std::string(what) + " '" + std::string(value) + "' in column '" +
           std::string(column) + "'");
}

// "any", one provider, or a comma-separated list ("outlook,microsoft_365").
std::uint32_t parse_providers_cell(const Row& row) {
  std::string_view v = row.get("provider");
  if (is_default(v) || v == "any") return 0;
  std::uint32_t mask = 0;
  while (!v.empty()) {
    const std::size_t comma = v.find(',');
    const std::string_view name = trim(v.substr(0, comma));
    mask |= 1u << static_cast<unsigned>(parse_enum<Provider>(row, "provider", name, "provider"));
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
  }
  return mask;
}

// The verdict columns shared by every table.
Verdict parse_verdict(const Row& row) {
  Verdict v;
  v.reason = parse_enum<Reason>(row, "reason", row.require("reason"), "reason");
  const std::string_view bt = row.get("bounce_type");
  if (!is_default(bt) && bt != "class")
    v.bounce_type = parse_enum<BounceType>(row, "bounce_type", bt, "bounce type");
  const std::string_view sup = row.get("suppress");
  if (is_default(sup))
    v.suppress = is_address_problem(v.reason);
  else if (sup == "yes" || sup == "true")
    v.suppress = true;
  else if (sup == "no" || sup == "false")
    v.suppress = false;
  else
    row.fail("suppress must be yes or no, not '" + std::string(sup) + "'");
  const std::string_view action = row.get("action");
  v.action = is_default(action) ? default_action(v.reason)
                                : parse_enum<Action>(row, "action", action, "action");
  const std::string_view stage = row.get("stage");
  if (!is_default(stage)) v.stage = parse_enum<Stage>(row, "stage", stage, "stage");
  const std::string_view detail = row.get("detail");
  if (!is_default(detail)) v.detail = std::string(detail);
  return v;
}

int parse_class_cell(const Row& row) {
  const std::string_view v = row.get("class");
  if (is_default(v) || v == "*" || v == "any") return 0;
  if (v == "2" || v == "4" || v == "5") return v[0] - '0';
  row.fail("class must be 2, 4, 5 or *, not '" + std::string(v) + "'");
}

PatternRule parse_pattern_row(const Row& row, std::string_view default_source) {
  PatternRule r;
  r.id = std::string(row.require("id"));
  r.providers = parse_providers_cell(row);
  r.klass = parse_class_cell(row);
  r.pattern = std::string(row.require("pattern"));
  r.verdict = parse_verdict(row);
  const std::string_view source = row.get("source");
  r.source = std::string(is_default(source) ? default_source : source);
  return r;
}

// Splits TSV text into rows keyed by the header's column names and calls
// `on_row` for each. Columns not in `known` are an error (a typo in a header
// would otherwise drop a whole column silently).
void for_each_tsv_row(std::string_view name, std::string_view text,
                      std::span<const std::string_view> known,
                      const std::function<void(const Row&)>& on_row) {
  std::vector<std::string> header;
  std::size_t line_no = 0;
  io::LineSplitter lines(text);
  for (std::string_view line; lines.next(line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line.front() == '#') continue;
    std::vector<std::string_view> cells;
    for (std::size_t start = 0;;) {
      const std::size_t tab = line.find('\t', start);
      cells.push_back(trim(line.substr(start, tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (header.empty()) {
      for (const auto c : cells) {
        if (std::find(known.begin(), known.end(), c) == known.end())
          throw RuleError(std::string(name), line_no, "unknown column '" + std::string(c) + "'");
        header.emplace_back(c);
      }
      continue;
    }
    if (cells.size() > header.size())
      throw RuleError(std::string(name), line_no,
                      "expected at most " + std::to_string(header.size()) +
                          " tab-separated fields, got " + std::to_string(cells.size()));
    Row row(name, line_no);
    for (std::size_t i = 0; i < cells.size(); ++i) row.set(header[i], cells[i]);
    on_row(row);
  }
  if (header.empty()) throw RuleError(std::string(name), 0, "no header line");
}

constexpr std::array<std::string_view, 11> kPatternColumns = {
    "id",       "provider", "class", "pattern", "reason", "bounce_type",
    "suppress", "action",   "stage", "detail",  "source"};

}  // namespace

std::vector<PatternRule> parse_pattern_rules(std::string_view name, std::string_view text) {
  std::vector<PatternRule> out;
  for_each_tsv_row(name, text, kPatternColumns,
                   [&](const Row& row) { out.push_back(parse_pattern_row(row, name)); });
  return out;
}

EnhancedTable parse_enhanced_table(std::string_view name, std::string_view text) {
  EnhancedTable out;
  for_each_tsv_row(
      name, text,
      std::array<std::string_view, 9>{"code", "title", "reason", "bounce_type", "suppress",
                                      "action", "stage", "detail", "source"},
      [&](const Row& row) {
        const std::string_view code = row.require("code");
        // "X.S.D": validate through the real parser with a stand-in class.
        const auto parsed = code.size() > 2 && code[0] == 'X'
                                ? EnhancedCode::parse("5" + std::string(code.substr(1)))
                                : std::nullopt;
        if (!parsed) row.fail("code must look like X.1.1, not '" + std::string(code) + "'");
        const int key = parsed->subject * 1000 + parsed->detail;
        if (out.count(key)) row.fail("duplicate code " + std::string(code));
        out[key] = CodeRule{"iana." + std::string(code), parse_verdict(row),
                            std::string(row.get("source"))};
      });
  return out;
}

ReplyTable parse_reply_table(std::string_view name, std::string_view text) {
  ReplyTable out;
  for_each_tsv_row(
      name, text,
      std::array<std::string_view, 9>{"code", "meaning", "reason", "bounce_type", "suppress",
                                      "action", "stage", "detail", "source"},
      [&](const Row& row) {
        const std::string_view code = row.require("code");
        int key = 0;
        if (code.size() == 3 && code.substr(1) == "xx" &&
            (code[0] == '2' || code[0] == '4' || code[0] == '5'))
          key = code[0] - '0';
        else if (std::from_chars(code.data(), code.data() + code.size(), key).ec != std::errc{} ||
                 reply_class(key) == 0)
          row.fail("code must be a reply code 200-599 or 2xx/4xx/5xx, not '" + std::string(code) +
                   "'");
        if (out.count(key)) row.fail("duplicate code " + std::string(code));
        out[key] = CodeRule{"reply." + std::string(code), parse_verdict(row),
                            std::string(row.get("source"))};
      });
  return out;
}

ProviderTable parse_provider_table(std::string_view name, std::string_view text) {
  ProviderTable out;
  for_each_tsv_row(
      name, text, std::array<std::string_view, 3>{"provider", "kind", "value"},
      [&](const Row& row) {
        const Provider p =
            parse_enum<Provider>(row, "provider", row.require("provider"), "provider");
        const std::string_view kind = row.require("kind");
        const std::string value = lower_copy(row.require("value"));
        if (kind == "host")
          out.host_suffixes[value] = p;
        else if (kind == "domain")
          out.domain_suffixes[value] = p;
        else if (kind == "text")
          out.text_signatures.emplace_back(p, std::string(row.require("value")));
        else
          row.fail("kind must be host, domain or text, not '" + std::string(kind) + "'");
      });
  return out;
}

std::vector<PatternRule> parse_user_rules(std::string_view name, std::string_view text) {
  const std::string_view head = trim_left(text);
  if (head.empty() || (head[0] != '[' && head[0] != '{')) return parse_pattern_rules(name, text);

  using namespace simdjson;
  ondemand::parser parser;
  padded_string json(text);
  std::vector<PatternRule> out;
  auto fail = [&](std::size_t index, const std::string& message) {
    throw RuleError(std::string(name), index, message);
  };
  try {
    ondemand::document doc = parser.iterate(json);
    ondemand::array rules = doc.type().value() == ondemand::json_type::object
                                ? doc.find_field("rules").get_array().value()
                                : doc.get_array().value();
    std::size_t index = 0;
    for (auto element : rules) {
      ++index;
      // Line numbers are not tracked by On-Demand; JSON errors name the rule's
      // position in the array ("rule 3") through the `line` field of RuleError.
      Row row(name, index);
      ondemand::object obj = element.get_object().value();
      for (auto field : obj) {
        const std::string_view key = field.unescaped_key().value();
        if (std::find(kPatternColumns.begin(), kPatternColumns.end(), key) == kPatternColumns.end())
          fail(index, "unknown key '" + std::string(key) + "' in rule " + std::to_string(index));
        ondemand::value value = field.value();
        const ondemand::json_type type = value.type().value();
        if (type == ondemand::json_type::number) {
          row.set(key, std::to_string(value.get_int64().value()));
        } else if (type == ondemand::json_type::boolean) {
          row.set(key, value.get_bool().value() ? "yes" : "no");
        } else {
          row.set(key, value.get_string().value());
        }
      }
      out.push_back(parse_pattern_row(row, name));
    }
  } catch (const simdjson_error& e) {
    fail(0, std::string("invalid JSON: ") + e.what());
  }
  return out;
}

}  // namespace bounce::rules
