// OwnedRecord: every string of a Record survives copies and moves, and an
// OwnedRecord outlives the buffers (and the Classifier) it was made from.

#include "bounce/record.hpp"

#include <gtest/gtest.h>

#include <vector>

#include <algorithm>

#include "classification_fields.hpp"
#include "record_fields.hpp"
#include "utc_time.hpp"

namespace bounce {
namespace {

// A record whose every text field holds a distinct value, built in a scratch
// buffer that is overwritten after the copy.
std::vector<std::string> FilledCells(std::string& scratch, OwnedRecord& out) {
  Record r;
  const std::vector<std::string_view Record::*> views = {&Record::time_text,
                                                         &Record::host,
                                                         &Record::message_key,
                                                         &Record::origin_key,
                                                         &Record::message_id,
                                                         &Record::sender,
                                                         &Record::client_host,
                                                         &Record::client_ip,
                                                         &Record::recipient,
                                                         &Record::orig_recipient,
                                                         &Record::recipient_domain,
                                                         &Record::relay_host,
                                                         &Record::relay_ip,
                                                         &Record::sending_ip,
                                                         &Record::status,
                                                         &Record::enhanced_code,
                                                         &Record::reply_text,
                                                         &Record::diagnostic,
                                                         &Record::phase,
                                                         &Record::delays,
                                                         &Record::tls,
                                                         &Record::file};
  scratch.clear();
  for (std::size_t i = 0; i < views.size(); ++i) scratch += "value-" + std::to_string(i) + ";";
  std::size_t pos = 0;
  for (auto member : views) {
    const std::size_t end = scratch.find(';', pos);
    r.*member = std::string_view(scratch).substr(pos, end - pos);
    pos = end + 1;
  }
  r.classification.detail = std::string_view(scratch).substr(0, 3);
  r.classification.rule.id = std::string_view(scratch).substr(3, 3);
  r.classification.rule.source = std::string_view(scratch).substr(6, 3);
  const auto cells = cli::record_cells(r);
  out = OwnedRecord(r);
  return cells;
}

TEST(OwnedRecord, CopiesEveryViewAndOutlivesItsSource) {
  std::string scratch;
  OwnedRecord owned;
  const auto expected = FilledCells(scratch, owned);
  std::fill(scratch.begin(), scratch.end(), 'x');  // the source is gone
  EXPECT_EQ(cli::record_cells(owned.get()), expected);
  const OwnedRecord copy = owned;
  EXPECT_EQ(cli::record_cells(copy.get()), expected);
  std::vector<OwnedRecord> moved;
  for (int i = 0; i < 20; ++i) moved.push_back(copy);  // reallocations move them
  for (const auto& m : moved) EXPECT_EQ(cli::record_cells(m.get()), expected);
  OwnedRecord assigned;
  assigned = std::move(moved.back());
  EXPECT_EQ(cli::record_cells(assigned.get()), expected);
}

TEST(OwnedRecord, ShortStringsSurviveMoves) {
  Record r;
  r.recipient = "a@b";  // short enough for the small-string buffer
  OwnedRecord a(r), b;
  b = std::move(a);
  EXPECT_EQ(b->recipient, "a@b");
  OwnedRecord c(std::move(b));
  EXPECT_EQ(c->recipient, "a@b");
}

// assign() refills the record's own buffer: from an unrelated record, from
// one that points into that buffer (a changed copy of its own record, as an
// expiry makes from the last attempt), and from a longer record than before.
TEST(OwnedRecord, AssignReusesItsBufferEvenFromItsOwnRecord) {
  std::string scratch;
  OwnedRecord owned;
  const auto expected = FilledCells(scratch, owned);
  Record changed = owned.get();  // views into owned's buffer
  changed.outcome = Outcome::expired;
  changed.status = changed.recipient;  // one of its own strings, moved to another field
  const auto changed_cells = cli::record_cells(changed);  // copied before the buffer changes
  ASSERT_NE(changed_cells, expected);
  owned.assign(changed);
  EXPECT_EQ(cli::record_cells(owned.get()), changed_cells);
  EXPECT_EQ(owned->outcome, Outcome::expired);
  EXPECT_EQ(owned->status, owned->recipient);

  Record other;
  const std::string long_text(500, 'z');
  other.recipient = "someone@example.org";
  other.diagnostic = long_text;
  owned.assign(other);
  std::fill(scratch.begin(), scratch.end(), 'x');
  EXPECT_EQ(owned->recipient, "someone@example.org");
  EXPECT_EQ(owned->diagnostic, long_text);
  EXPECT_TRUE(owned->sender.empty());
  owned.assign(owned.get());  // itself: unchanged
  EXPECT_EQ(owned->recipient, "someone@example.org");
  EXPECT_EQ(owned->diagnostic, long_text);
}

}  // namespace
}  // namespace bounce

namespace bounce {
namespace {

// JSONL, CSV/TSV and the Python columns name the same fields in the same
// order (sending_ip used to be missing from all but JSONL).
TEST(RecordFields, JsonKeysAreTheColumnsInOrder) {
  Record r;
  r.sending_ip = "192.0.2.1";
  JsonObject obj;
  cli::write_record_json(obj, r);
  const std::string json = obj.str();
  std::vector<std::string_view> keys;
  for (std::size_t p = json.find("{\"") + 1; p != std::string::npos && p < json.size();) {
    const std::size_t end = json.find('"', p + 1);
    keys.push_back(std::string_view(json).substr(p + 1, end - p - 1));
    // Skip the value: a string (with escapes), or anything up to the next ','.
    std::size_t v = end + 2;
    if (json[v] == '"') {
      for (++v; json[v] != '"'; ++v)
        if (json[v] == '\\') ++v;
      ++v;
    } else {
      v = json.find_first_of(",}", v);
    }
    p = json[v] == ',' ? v + 1 : std::string::npos;
  }
  EXPECT_EQ(keys, cli::record_columns());
  const auto cells = cli::record_cells(r);
  ASSERT_EQ(cells.size(), cli::record_columns().size());
  const auto at = [&](std::string_view name) {
    const auto& cols = cli::record_columns();
    return cells[std::find(cols.begin(), cols.end(), name) - cols.begin()];
  };
  EXPECT_EQ(at("sending_ip"), "192.0.2.1");
  EXPECT_EQ(at("time"), "");  // absent
  EXPECT_EQ(at("notification"), "false");
  EXPECT_EQ(at("outcome"), "unknown");
}

// Text columns are valid UTF-8 whatever the log held: valid sequences are
// kept, each invalid byte becomes U+FFFD, at any position relative to the
// 8-byte ASCII runs.
TEST(RecordFields, AppendUtf8KeepsValidTextAndReplacesInvalidBytes) {
  for (std::size_t pad = 0; pad < 10; ++pad) {
    const std::string ascii(pad, 'a');
    const std::string in = ascii + "caf\xc3\xa9 \xff\xfe" + ascii + "\xe2\x82\xac\xc3(" + ascii;
    std::string out;
    append_utf8(out, in);
    EXPECT_EQ(out, ascii + "caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD" + ascii +
                       "\xe2\x82\xac\xEF\xBF\xBD(" + ascii)
        << pad;
  }
  // All-ASCII text is copied whole (checked a word at a time, the tail as an
  // overlapping word); one byte from 0x80 up anywhere takes the exact path.
  for (std::size_t len = 0; len < 20; ++len) {
    const std::string ascii(len, 'x');
    std::string out = "<";
    append_utf8(out, ascii);
    EXPECT_EQ(out, "<" + ascii) << len;
    for (std::size_t at = 0; at < len; ++at) {
      std::string bad = ascii;
      bad[at] = '\xff';
      out.clear();
      append_utf8(out, bad);
      EXPECT_EQ(out, ascii.substr(0, at) + "\xEF\xBF\xBD" + ascii.substr(at + 1))
          << len << " " << at;
    }
  }
}

// JSON strings: plain text is copied whole (checked a word at a time);
// each kind of byte that is not plain, at every position of strings of
// every length, comes out as the byte-by-byte definition says.
TEST(RecordFields, JsonStringsEscapeEveryKindOfByteAnywhere) {
  const auto escaped = [](char c) -> std::string {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\x01':
        return "\\u0001";
      case '\x1f':
        return "\\u001f";
      case '\xff':
        return "\xEF\xBF\xBD";
      default:
        return std::string(1, c);  // plain, DEL included
    }
  };
  for (std::size_t len = 0; len < 20; ++len) {
    const std::string plain(len, 'x');
    std::string out;
    append_json_string(out, plain);
    EXPECT_EQ(out, "\"" + plain + "\"") << len;
    for (std::size_t at = 0; at < len; ++at)
      for (const char c : std::string("\"\\\n\r\t\x01\x1f\xff\x7f~ ")) {
        std::string in = plain;
        in[at] = c;
        out.clear();
        append_json_string(out, in);
        EXPECT_EQ(out, "\"" + plain.substr(0, at) + escaped(c) + plain.substr(at + 1) + "\"")
            << len << " " << at << " " << static_cast<int>(c);
      }
  }
  std::string out;
  append_json_string(out, "caf\xc3\xa9 at the end of a long line \xc3\xa9");
  EXPECT_EQ(out, "\"caf\xc3\xa9 at the end of a long line \xc3\xa9\"");
}

// The classification's cells are the last columns of a record's.
TEST(RecordFields, ClassificationColumnsEndTheRecordColumns) {
  const auto& all = cli::record_columns();
  const auto& tail = cli::classification_columns();
  ASSERT_GE(all.size(), tail.size());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), all.end() - tail.size()));
}

// Record times: digits written by hand for years 0-9999, snprintf beyond.
TEST(RecordFields, UtcTimesAtTheEdges) {
  EXPECT_EQ(format_utc(0, true), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_utc(1751695200123456, true), "2025-07-05T06:00:00.123456Z");
  EXPECT_EQ(format_utc(1751695200123456, false), "2025-07-05T06:00:00Z");
  EXPECT_EQ(format_utc(-1, true), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_utc(-62167219200000000, false), "0000-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(253402300799999999, true), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_utc(253402300800000000, false), "10000-01-01T00:00:00Z");
}

}  // namespace
}  // namespace bounce
