// order_rotated: a rotated log set, oldest first. logrotate numbers older
// files higher (`mail.log.2.gz` is older than `mail.log.1`); dateext and
// Postfix's maillog_file rotation append dates (`-20250104`,
// `.20250104-101500`), which sort as they read.

#include <algorithm>
#include <map>

#include "bounce/reader.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

struct Rotated {
  std::string base;  // the file name without rotation and compression suffixes
  int kind = 2;      // 0 numbered, 1 dated, 2 current
  long long value = 0;
};

std::string_view strip_compression(std::string_view name) {
  for (std::string_view ext : {".gz", ".zst", ".zstd", ".bz2", ".xz", ".lz4"})
    if (name.ends_with(ext)) return name.substr(0, name.size() - ext.size());
  return name;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

Rotated classify_name(std::string_view path) {
  std::string_view name = strip_compression(path);
  const std::size_t sep = name.find_last_of(".-");
  if (sep != std::string_view::npos && sep > 0) {
    const std::string_view suffix = name.substr(sep + 1);
    // ".1", ".12": numbered.
    if (all_digits(suffix) && suffix.size() <= 4 && name[sep] == '.')
      return {std::string(name.substr(0, sep)), 0, -std::stoll(std::string(suffix))};
    // "-20250104", ".20250104": dated.
    if (all_digits(suffix) && suffix.size() == 8)
      return {std::string(name.substr(0, sep)), 1, std::stoll(std::string(suffix)) * 1000000};
    // ".20250104-101500": date and time (the '-' split left the time part).
    if (all_digits(suffix) && suffix.size() == 6 && name[sep] == '-') {
      const std::size_t dot = name.find_last_of('.', sep);
      const std::string_view date =
          dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1, sep - dot - 1);
      if (all_digits(date) && date.size() == 8)
        return {std::string(name.substr(0, dot)), 1,
                std::stoll(std::string(date)) * 1000000 + std::stoll(std::string(suffix))};
    }
  }
  return {std::string(name), 2, 0};
}

}  // namespace

InputSource InputSource::file(std::string path) {
  InputSource s;
  s.kind = Kind::file;
  s.name = std::move(path);
  return s;
}

InputSource InputSource::standard_input() {
  InputSource s;
  s.kind = Kind::standard_input;
  s.name = "-";
  return s;
}

InputSource InputSource::memory(std::string label, std::string_view bytes) {
  InputSource s;
  s.kind = Kind::memory;
  s.name = std::move(label);
  s.bytes = bytes;
  return s;
}

std::vector<InputSource> order_rotated(const std::vector<std::string>& paths) {
  struct Item {
    std::size_t set, index;
    Rotated r;
    std::string path;
  };
  std::map<std::string, std::size_t> set_of;  // base -> first appearance
  std::vector<Item> items;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Rotated r = classify_name(paths[i]);
    const std::size_t set = set_of.try_emplace(r.base, set_of.size()).first->second;
    items.push_back({set, i, std::move(r), paths[i]});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.set != b.set) return a.set < b.set;
    if (a.r.kind != b.r.kind) return a.r.kind < b.r.kind;
    return a.r.value < b.r.value;
  });
  std::vector<InputSource> out;
  for (const Item& it : items)
    out.push_back(it.path == "-" ? InputSource::standard_input() : InputSource::file(it.path));
  return out;
}

}  // namespace bounce
