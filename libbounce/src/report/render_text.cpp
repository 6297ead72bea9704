// render_text: the report for a terminal, sections in triage order.

#include <cstdio>
#include <sstream>

#include "bounce/report.hpp"
#include "report_util.hpp"

namespace bounce {
namespace {

const char* section_title(const std::string& s) {
  if (s == "path") return "1. Where the delivery path fails";
  if (s == "permanence") return "2. Temporary or permanent";
  if (s == "providers") return "3. By mailbox provider";
  if (s == "authentication") return "4. Authentication (SPF, DKIM, DMARC)";
  if (s == "reputation") return "5. Reputation and blocklists";
  if (s == "behaviour") return "6. Sending behaviour";
  if (s == "hygiene") return "7. List hygiene and recipients";
  if (s == "complaints") return "8. Complaints";
  if (s == "inbound") return "9. Rejections at our own server";
  return "Other";
}

}  // namespace

std::string render_text(const Report& report, bool color) {
  const auto paint = [color](std::string_view code, const std::string& s) {
    if (!color) return s;
    return "\x1b[" + std::string(code) + "m" + s + "\x1b[0m";
  };
  const Aggregate& a = report.data;
  const OutcomeCounts& t = a.total;
  std::ostringstream out;
  out << paint("1", "libbounce deliverability report") << '\n';
  if (a.first_us)
    out << "period     " << report::iso_time(a.first_us) << " .. " << report::iso_time(a.last_us)
        << '\n';
  out << "attempts   " << t.attempts << " outbound (" << t.delivered << " delivered, " << t.deferred
      << " deferred, " << t.bounced << " bounced, " << t.expired << " expired";
  if (t.complaint) out << ", " << t.complaint << " complaints";
  out << ")\n";
  out << "rates      bounce " << report::percent(t.bounce_rate()) << ", deferral "
      << report::percent(t.deferral_rate()) << '\n';
  if (a.delay_percentile(0.5) >= 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "delays     p50 %.3gs, p90 %.3gs, p99 %.3gs (delivered)\n",
                  a.delay_percentile(0.5), a.delay_percentile(0.9), a.delay_percentile(0.99));
    out << buf;
  }
  if (!a.by_sending_ip.empty()) {
    out << "sending IPs";
    for (const auto& [ip, c] : a.by_sending_ip)
      out << ' ' << ip << " (" << c.attempts << ", " << report::percent(c.failure_rate())
          << " failing)";
    out << '\n';
  }
  if (a.notifications.attempts)
    out << "           + " << a.notifications.attempts << " bounce notifications / probes\n";
  if (a.inbound.attempts) out << "inbound    " << a.inbound.attempts << " rejected by our server\n";
  out << "providers  ";
  bool first = true;
  for (const auto& [p, c] : a.by_provider) {
    out << (first ? "" : ", ") << p << ' ' << c.attempts;
    if (c.attempts) out << " (" << report::percent(c.failure_rate()) << " failing)";
    first = false;
  }
  out << "\n\n";
  if (report.clean()) {
    out << paint("32", "No problems found.") << " Every check passed: no authentication, "
        << "blocklist, throttling, hygiene or complaint problem in this log.\n";
    return out.str();
  }
  std::string section;
  for (const Finding& f : report.findings) {
    if (f.section != section) {
      section = f.section;
      out << paint("1", section_title(section)) << '\n';
    }
    const char* tag_color = f.severity == Severity::critical  ? "31"
                            : f.severity == Severity::warning ? "33"
                                                              : "36";
    out << "  " << paint(tag_color, "[" + std::string(to_string(f.severity)) + "]") << ' '
        << f.title << '\n';
    if (!f.detail.empty()) out << "      " << f.detail << '\n';
    out << "      action: " << to_string(f.action) << " - " << f.recommendation << '\n';
    for (const Example& e : f.examples) {
      std::string text = e.text.size() > 110 ? e.text.substr(0, 107) + "..." : e.text;
      out << "      e.g. " << e.file << ':' << e.line << ' ' << e.recipient << ": " << text << '\n';
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace bounce
