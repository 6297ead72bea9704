#include "classification_fields.hpp"

namespace bounce::cli {

const std::vector<std::string_view>& classification_columns() {
  static const std::vector<std::string_view> columns = {
      "reply_code", "enhanced_code", "bounce_type", "suppress_recipient",
      "reason",     "detail",        "action",      "stage",
      "provider",   "rule",          "rule_source"};
  return columns;
}

std::vector<std::string> classification_cells(const Classification& c) {
  return {c.reply_code ? std::to_string(c.reply_code) : std::string(),
          c.enhanced.to_string(),
          std::string(to_string(c.bounce_type)),
          c.suppress_recipient ? "true" : "false",
          std::string(to_string(c.reason)),
          std::string(c.detail),
          std::string(to_string(c.action)),
          std::string(to_string(c.stage)),
          std::string(to_string(c.provider)),
          std::string(c.rule.id),
          std::string(c.rule.source)};
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
