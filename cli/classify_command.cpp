// `bounce classify`: the verdict on SMTP replies, from arguments or stdin.

#include <iostream>
#include <string>

#include "arguments.hpp"
#include "bounce/classifier.hpp"
#include "classification_fields.hpp"
#include "cli.hpp"
#include "commands.hpp"

namespace bounce::cli {
namespace {

constexpr const char* kHelp = R"(usage: bounce classify [options] TEXT...
       bounce classify [options] -

Classify SMTP replies: hard/soft, suppress or not, reason, action, stage,
provider, and the rule that decided.

options:
  --code N            basic reply code of TEXT (else found in the text)
  --enhanced X.Y.Z    enhanced status code of TEXT (else found in the text)
  --host HOST         remote MX host that answered (identifies the provider)
  --domain DOMAIN     recipient domain (identifies the provider when no host)
  --phase PHASE       SMTP phase, e.g. "RCPT TO", "end of DATA"
  --input FORMAT      with '-': 'text' (one reply per line, default) or 'tsv'
                      (columns: code, enhanced, text, host, phase[, domain])
  --output FORMAT     'text' (default for arguments), 'jsonl' (default for '-')
                      or 'tsv' (with a header line)
  --rules FILE        user rules (TSV or JSON) that take precedence; repeatable
)";

struct Input {
  int code = 0;
  std::string enhanced, text, host, phase, domain;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    cells.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

int parse_code(const std::string& s, std::size_t line_no) {
  if (s.empty()) return 0;
  try {
    std::size_t used = 0;
    const int code = std::stoi(s, &used);
    if (used == s.size()) return code;
  } catch (const std::exception&) {
  }
  throw UsageError("line " + std::to_string(line_no) + ": reply code '" + s + "' is not a number");
}

void write_text(std::ostream& out, const Input& in, const Classification& c) {
  out << in.text << "\n  " << to_string(c.bounce_type) << ' ' << to_string(c.reason);
  if (!c.detail.empty()) out << " (" << c.detail << ')';
  out << " -> " << to_string(c.action) << (c.suppress_recipient ? ", suppress recipient" : "")
      << "\n  stage " << to_string(c.stage) << ", provider " << to_string(c.provider);
  if (c.reply_code || c.enhanced.valid()) {
    out << ", codes";
    if (c.reply_code) out << ' ' << c.reply_code;
    if (c.enhanced.valid()) out << ' ' << c.enhanced.to_string();
  }
  out << "\n  rule " << c.rule.id << " [" << c.rule.source << "]\n";
}

}  // namespace

int classify_command(const std::vector<std::string>& args, Streams io) {
  const Arguments a(
      args, {"code", "enhanced", "host", "domain", "phase", "input", "output", "rules"}, {"help"});
  if (a.flag("help")) {
    io.out << kHelp;
    return kExitOk;
  }
  if (a.positional().empty()) throw UsageError("classify needs TEXT or '-' (see --help)");
  const bool from_stdin = a.positional().size() == 1 && a.positional()[0] == "-";
  const std::string input_format = a.value_or("input", "text");
  if (input_format != "text" && input_format != "tsv")
    throw UsageError("--input must be text or tsv");
  const std::string output = a.value_or("output", from_stdin ? "jsonl" : "text");
  if (output != "text" && output != "jsonl" && output != "tsv")
    throw UsageError("--output must be text, jsonl or tsv");

  ClassifierOptions options;
  options.rule_files = a.values("rules");
  const Classifier classifier(options);

  if (output == "tsv") {
    io.out << "text";
    for (auto col : classification_columns()) io.out << '\t' << col;
    io.out << '\n';
  }
  auto emit = [&](const Input& in) {
    const Classification c = classifier.classify(
        in.code, in.enhanced, in.text,
        ClassifyContext{.phase = in.phase, .remote_host = in.host, .recipient_domain = in.domain});
    if (output == "text") {
      write_text(io.out, in, c);
    } else if (output == "jsonl") {
      JsonObject obj;
      obj.add("text", in.text);
      add_classification(obj, c);
      io.out << obj.str() << '\n';
    } else {
      std::string text = in.text;
      for (char& ch : text)
        if (ch == '\t' || ch == '\n') ch = ' ';
      io.out << text;
      for (const auto& cell : classification_cells(c)) io.out << '\t' << cell;
      io.out << '\n';
    }
  };

  if (!from_stdin) {
    Input base;
    base.code = a.integer("code").value_or(0);
    base.enhanced = a.value_or("enhanced", "");
    base.host = a.value_or("host", "");
    base.domain = a.value_or("domain", "");
    base.phase = a.value_or("phase", "");
    for (const auto& text : a.positional()) {
      Input in = base;
      in.text = text;
      emit(in);
    }
    return kExitOk;
  }
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(io.in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    Input in;
    if (input_format == "tsv") {
      const auto cells = split_tabs(line);
      if (cells.size() < 3)
        throw UsageError("line " + std::to_string(line_no) +
                         ": --input tsv needs at least 3 columns (code, enhanced, text)");
      in.code = parse_code(cells[0], line_no);
      in.enhanced = cells[1];
      in.text = cells[2];
      if (cells.size() > 3) in.host = cells[3];
      if (cells.size() > 4) in.phase = cells[4];
      if (cells.size() > 5) in.domain = cells[5];
    } else {
      in.text = line;
    }
    emit(in);
  }
  return kExitOk;
}

}  // namespace bounce::cli
