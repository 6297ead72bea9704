// The reply oracle: corpus/replies/replies.tsv holds real provider replies,
// taken from the providers' and RFCs' published documentation, each with the
// verdict a deliverability engineer expects. Written independently of the
// rules; every row is its own test case.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bounce/classifier.hpp"

namespace bounce {
namespace {

struct ReplyRow {
  std::size_t line = 0;
  int code = 0;
  std::string enhanced, text, host, phase, domain;
  std::string provider, reason, bounce_type, suppress, action, detail, source;
};

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, '\t')) cells.push_back(cell);
  if (!line.empty() && line.back() == '\t') cells.emplace_back();
  return cells;
}

std::vector<ReplyRow> LoadRows() {
  std::ifstream in(std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/replies/replies.tsv");
  std::vector<ReplyRow> rows;
  std::string line;
  std::size_t line_no = 0;
  bool header = true;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    const auto c = Split(line);
    if (c.size() != 13) {
      ADD_FAILURE() << "replies.tsv:" << line_no << ": expected 13 fields, got " << c.size();
      continue;
    }
    ReplyRow r;
    r.line = line_no;
    r.code = c[0].empty() ? 0 : std::stoi(c[0]);
    r.enhanced = c[1], r.text = c[2], r.host = c[3], r.phase = c[4], r.domain = c[5];
    r.provider = c[6], r.reason = c[7], r.bounce_type = c[8], r.suppress = c[9];
    r.action = c[10], r.detail = c[11], r.source = c[12];
    rows.push_back(r);
  }
  return rows;
}

const std::vector<ReplyRow>& Rows() {
  static const std::vector<ReplyRow> rows = LoadRows();
  return rows;
}

class RepliesTable : public testing::TestWithParam<std::size_t> {};

TEST_P(RepliesTable, MatchesTheExpectedVerdict) {
  static const Classifier classifier;
  const ReplyRow& r = Rows()[GetParam()];
  const Classification c =
      classifier.classify(r.code, r.enhanced, r.text,
                          {.phase = r.phase, .remote_host = r.host, .recipient_domain = r.domain});
  const std::string where = "replies.tsv:" + std::to_string(r.line) + " [" + r.source + "] " +
                            r.text + "\n  decided by " + std::string(c.rule.id);
  EXPECT_EQ(to_string(c.reason), r.reason) << where;
  EXPECT_EQ(to_string(c.bounce_type), r.bounce_type) << where;
  EXPECT_EQ(c.suppress_recipient ? "yes" : "no", r.suppress) << where;
  EXPECT_EQ(to_string(c.action), r.action) << where;
  EXPECT_EQ(to_string(c.provider), r.provider) << where;
  if (!r.detail.empty()) {
    EXPECT_EQ(c.detail, r.detail) << where;
  }
}

TEST(RepliesTableSize, HasAtLeast300Rows) { EXPECT_GE(Rows().size(), 300u); }

INSTANTIATE_TEST_SUITE_P(Corpus, RepliesTable, testing::Range<std::size_t>(0, Rows().size()),
                         [](const auto& p) {
                           return "Line" + std::to_string(Rows()[p.param].line);
                         });

}  // namespace
}  // namespace bounce
