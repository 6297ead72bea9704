// libFuzzer target: arbitrary reply text (with a code and an enhanced code
// taken from the first bytes) through the Classifier and the reply splitter.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bounce/classifier.hpp"
#include "bounce/status_code.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bounce::Classifier classifier;
  if (size < 2) return 0;
  const int code = 200 + (data[0] % 4) * 100 + data[1] % 60;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = rest.find('\n');
  const std::string_view enhanced =
      cut == std::string_view::npos ? std::string_view{} : rest.substr(0, cut);
  const std::string_view text = cut == std::string_view::npos ? rest : rest.substr(cut + 1);
  const bounce::Classification c =
      classifier.classify((data[0] & 0x80) ? code : 0, enhanced, text,
                          bounce::ClassifyContext{.phase = enhanced,
                                                  .remote_host = text.substr(0, 40),
                                                  .recipient_domain = text.substr(0, 20)});
  // The verdict is self-consistent: only a hard failure suppresses.
  if (c.suppress_recipient && c.bounce_type != bounce::BounceType::hard) __builtin_trap();
  (void)bounce::split_reply(text);
  return 0;
}
