// Links against the installed libbounce and checks one verdict end to end.
#include <bounce/bounce.hpp>

#include <cstdio>

int main() {
  const bounce::Classifier classifier;
  const auto c = classifier.classify(
      "550 5.1.1 The email account that you tried to reach does not exist. - gsmtp");
  const bool ok = c.reason == bounce::Reason::user_unknown && c.suppress_recipient &&
                  c.provider == bounce::Provider::google && !bounce::version().empty();
  std::printf("%s %s %s\n", ok ? "ok" : "FAIL", bounce::to_string(c.reason).data(),
              BOUNCE_VERSION_STRING);
  return ok ? 0 : 1;
}
