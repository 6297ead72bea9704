// stage_from_phase: the SMTP phase as the MTAs log it, mapped to a Stage.
// Postfix: "in reply to RCPT TO command", "(in reply to end of DATA command)";
// Exim: "after RCPT TO:<x>", "after end of data", "after pipelined MAIL FROM";
// plus the short names providers and our own callers use ("MAIL FROM", "connect").

#include "bounce/classifier.hpp"
#include "text_util.hpp"

namespace bounce {

Stage stage_from_phase(std::string_view phase) noexcept {
  if (trim(phase).empty()) return Stage::unknown;
  struct Marker {
    std::string_view text;
    Stage stage;
  };
  // Order matters: "end of DATA" before "DATA", "RCPT" before "MAIL" (a Postfix
  // text can say "... MAIL FROM ... in reply to RCPT TO command").
  static constexpr Marker kMarkers[] = {
      {"end of data", Stage::after_data},
      {"message body", Stage::after_data},
      {"rcpt", Stage::rcpt_to},
      {"mail from", Stage::mail_from},
      {"data", Stage::data},
      {"starttls", Stage::tls},
      {"tls", Stage::tls},
      {"auth", Stage::client_auth},
      {"helo", Stage::connection},
      {"ehlo", Stage::connection},
      {"lhlo", Stage::connection},
      {"greeting", Stage::connection},
      {"banner", Stage::connection},
      {"connect", Stage::connection},
      {"initial connection", Stage::connection},
      {"after acceptance", Stage::after_acceptance},
  };
  for (const auto& m : kMarkers)
    if (find_icase(phase, m.text) != std::string_view::npos) return m.stage;
  return Stage::unknown;
}

}  // namespace bounce
