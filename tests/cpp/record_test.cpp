// OwnedRecord: every string of a Record survives copies and moves, and an
// OwnedRecord outlives the buffers (and the Classifier) it was made from.

#include "bounce/record.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "record_fields.hpp"

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

}  // namespace
}  // namespace bounce
