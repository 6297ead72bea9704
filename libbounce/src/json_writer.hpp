// Minimal JSON object writer (JSONL records, reports): one object per line,
// keys in insertion order, strings escaped per RFC 8259 (invalid UTF-8 bytes
// are replaced by U+FFFD so that every output line is valid JSON).

#ifndef BOUNCE_SRC_JSON_WRITER_HPP_
#define BOUNCE_SRC_JSON_WRITER_HPP_

#include <cstdint>
#include <string>
#include <string_view>

namespace bounce {

/// Appends `s` to `out` with every invalid UTF-8 byte replaced by U+FFFD, so
/// that log bytes (latin-1 replies, junk) become valid text for JSON and Arrow.
void append_utf8(std::string& out, std::string_view s);

/// Appends `s` to `out` as a JSON string literal (with the quotes).
void append_json_string(std::string& out, std::string_view s);

class JsonObject {
 public:
  /// An object in its own buffer: str() gives it.
  JsonObject() : out_(&buf_) { buf_.push_back('{'); }
  /// An object appended to `out` (no buffer of its own: a JSONL writer
  /// reuses one for every line); close() ends it.
  explicit JsonObject(std::string& out) : out_(&out) { out.push_back('{'); }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;
  JsonObject& add(std::string_view key, std::string_view value);
  JsonObject& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  JsonObject& add(std::string_view key, std::int64_t value);
  JsonObject& add(std::string_view key, bool value);
  /// A finite double in the shortest form that reads back exactly.
  JsonObject& add_number(std::string_view key, double value);
  JsonObject& add_null(std::string_view key);
  /// A value that already is JSON (a nested object or array).
  JsonObject& add_raw(std::string_view key, std::string_view json);
  /// Ends the object (once).
  void close() {
    if (!closed_) {
      out_->push_back('}');
      closed_ = true;
    }
  }
  /// The finished object, e.g. {"a":1} (for an object in its own buffer).
  const std::string& str() {
    close();
    return buf_;
  }

 private:
  void key(std::string_view k);
  std::string buf_;
  std::string* out_;
  bool first_ = true;
  bool closed_ = false;
};

}  // namespace bounce

#endif  // BOUNCE_SRC_JSON_WRITER_HPP_
