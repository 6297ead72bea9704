#include "classification_fields.hpp"

#include "record_fields.hpp"

namespace bounce::cli {

const std::vector<std::string_view>& classification_columns() {
  static const std::vector<std::string_view> columns = {
      "reply_code", "enhanced_code", "bounce_type", "suppress_recipient",
      "reason",     "detail",        "action",      "stage",
      "provider",   "rule",          "rule_source"};
  return columns;
}

// The same cells as a record's last columns: one definition of each field.
std::vector<std::string> classification_cells(const Classification& c) {
  Record r;
  r.classification = c;
  const std::vector<RecordField>& fields = record_fields();
  std::vector<std::string> cells;
  std::string scratch;
  for (std::size_t i = fields.size() - classification_columns().size(); i < fields.size(); ++i)
    cells.emplace_back(field_text(fields[i], r, scratch));
  return cells;
}

void add_classification(JsonObject& obj, const Classification& c) {
  if (c.reply_code)
    obj.add("reply_code", static_cast<std::int64_t>(c.reply_code));
  else
    obj.add_null("reply_code");
  if (c.enhanced.valid())
    obj.add("enhanced_code", c.enhanced.to_string());
  else
    obj.add_null("enhanced_code");
  obj.add("bounce_type", to_string(c.bounce_type))
      .add("suppress_recipient", c.suppress_recipient)
      .add("reason", to_string(c.reason))
      .add("detail", c.detail)
      .add("action", to_string(c.action))
      .add("stage", to_string(c.stage))
      .add("provider", to_string(c.provider))
      .add("rule", c.rule.id)
      .add("rule_source", c.rule.source);
}

}  // namespace bounce::cli
