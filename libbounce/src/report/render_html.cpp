// render_html: one self-contained page (inline CSS and SVG, no scripts, no
// network): outcomes over time per provider, failure reasons by provider,
// the stage breakdown, and the findings with their evidence.

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "bounce/report.hpp"
#include "bounce/version.hpp"
#include "report_util.hpp"

namespace bounce {
namespace {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A palette that stays readable for the reason categories.
const char* const kPalette[] = {"#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                                "#7f7f7f", "#bcbd22", "#17becf", "#1f77b4", "#2ca02c"};

// Outcomes over time for one provider: stacked bars (delivered, deferred,
// failed) per bucket.
std::string time_chart(const std::string& title, const std::map<std::int64_t, OutcomeCounts>& hours,
                       std::int64_t first_hour, std::int64_t last_hour) {
  const std::int64_t span = std::max<std::int64_t>(1, last_hour - first_hour + 1);
  const std::int64_t bucket = span > 96 ? 24 : 1;  // days for long logs
  std::map<std::int64_t, OutcomeCounts> buckets;
  for (const auto& [h, c] : hours) buckets[(h - first_hour) / bucket].add(c);
  const std::int64_t n = (span + bucket - 1) / bucket;
  std::uint64_t peak = 1;
  for (const auto& [b, c] : buckets) peak = std::max(peak, c.attempts);
  const double w = 640, h = 120, bar = std::max(1.0, w / static_cast<double>(n));
  std::ostringstream s;
  s << "<figure class=\"chart\"><figcaption>" << esc(title) << " (per "
    << (bucket == 24 ? "day" : "hour") << ", peak " << peak << ")</figcaption>"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timechart\" viewBox=\"0 0 " << w << ' '
    << h + 16 << "\" width=\"" << w << "\" height=\"" << h + 16 << "\" role=\"img\">";
  for (const auto& [b, c] : buckets) {
    const double x = static_cast<double>(b) * bar;
    double y = h;
    const auto seg = [&](std::uint64_t v, const char* color, const char* what) {
      if (!v) return;
      const double hh = h * static_cast<double>(v) / static_cast<double>(peak);
      y -= hh;
      s << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\""
        << num(std::max(1.0, bar - 1)) << "\" height=\"" << num(hh) << "\" fill=\"" << color
        << "\"><title>" << v << ' ' << what << "</title></rect>";
    };
    seg(c.delivered, "#2ca02c", "delivered");
    seg(c.deferred, "#ffbb33", "deferred");
    seg(c.bounced + c.expired, "#d62728", "bounced or expired");
  }
  s << "<text x=\"0\" y=\"" << h + 13 << "\" font-size=\"10\">"
    << esc(report::iso_time(first_hour * 3600000000LL)) << "</text>"
    << "<text x=\"" << w << "\" y=\"" << h + 13 << "\" font-size=\"10\" text-anchor=\"end\">"
    << esc(report::iso_time(last_hour * 3600000000LL)) << "</text></svg></figure>";
  return s.str();
}

// One bar: a label and its segments by category.
using BarRow = std::pair<std::string, Aggregate::Map<std::uint64_t>>;

// Horizontal stacked bars: one row per label, segments by category.
std::string stacked_bars(const std::string& title, const std::vector<BarRow>& rows,
                         const std::vector<std::string>& categories) {
  std::uint64_t peak = 1;
  for (const auto& [label, m] : rows) {
    std::uint64_t t = 0;
    for (const auto& [k, v] : m) t += v;
    peak = std::max(peak, t);
  }
  const double label_w = 150, w = 480, row_h = 22;
  const double h = row_h * static_cast<double>(rows.size()) + 4;
  std::ostringstream s;
  s << "<figure class=\"chart\"><figcaption>" << esc(title) << "</figcaption>"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"barchart\" viewBox=\"0 0 "
    << label_w + w + 60 << ' ' << h << "\" width=\"" << label_w + w + 60 << "\" height=\"" << h
    << "\" role=\"img\">";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = static_cast<double>(i) * row_h + 2;
    s << "<text x=\"" << label_w - 6 << "\" y=\"" << num(y + 14)
      << "\" font-size=\"12\" text-anchor=\"end\">" << esc(rows[i].first) << "</text>";
    double x = label_w;
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < categories.size(); ++k) {
      const auto it = rows[i].second.find(categories[k]);
      if (it == rows[i].second.end() || !it->second) continue;
      const double ww = w * static_cast<double>(it->second) / static_cast<double>(peak);
      s << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(ww)
        << "\" height=\"" << row_h - 4 << "\" fill=\"" << kPalette[k % std::size(kPalette)]
        << "\"><title>" << esc(categories[k]) << ": " << it->second << "</title></rect>";
      x += ww;
      total += it->second;
    }
    s << "<text x=\"" << num(x + 4) << "\" y=\"" << num(y + 14) << "\" font-size=\"11\">" << total
      << "</text>";
  }
  s << "</svg><div class=\"legend\">";
  for (std::size_t k = 0; k < categories.size(); ++k)
    s << "<span><i style=\"background:" << kPalette[k % std::size(kPalette)] << "\"></i>"
      << esc(categories[k]) << "</span>";
  s << "</div></figure>";
  return s.str();
}

}  // namespace

std::string render_html(const Report& report) {
  const Aggregate& a = report.data;
  const OutcomeCounts& t = a.total;
  std::ostringstream s;
  s << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>libbounce deliverability report</title><style>"
    << "body{font:14px/1.45 system-ui,sans-serif;margin:2em "
       "auto;max-width:1000px;color:#222;padding:0 1em}"
    << "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}"
    << ".kpi{display:inline-block;margin:0 2em 1em 0}.kpi b{display:block;font-size:1.6em}"
    << ".finding{border-left:5px solid #999;padding:.4em 1em;margin:1em 0;background:#fafafa}"
    << ".critical{border-color:#d62728}.warning{border-color:#ff9900}.info{border-color:#1f77b4}"
    << ".sev{font-weight:bold;text-transform:uppercase;font-size:.8em;margin-right:.5em}"
    << "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;"
    << "text-align:left;font-size:.9em;vertical-align:top}code{font-size:.85em}"
    << ".legend span{margin-right:1em;font-size:.85em}.legend i{display:inline-block;width:10px;"
    << "height:10px;margin-right:4px}figure{margin:1em 0}figcaption{font-weight:bold}"
    << ".clean{color:#2ca02c;font-weight:bold}</style></head><body>\n";
  s << "<h1>Deliverability report</h1><p>Generated by libbounce " << esc(version());
  if (a.first_us)
    s << " from logs spanning " << esc(report::iso_time(a.first_us)) << " to "
      << esc(report::iso_time(a.last_us));
  s << ".</p>\n<div>";
  const auto kpi = [&](const std::string& label, const std::string& value) {
    s << "<div class=\"kpi\"><b>" << esc(value) << "</b>" << esc(label) << "</div>";
  };
  kpi("delivery attempts", std::to_string(t.attempts));
  kpi("delivered", std::to_string(t.delivered));
  kpi("bounce rate", report::percent(t.bounce_rate()));
  kpi("deferral rate", report::percent(t.deferral_rate()));
  if (t.complaint) kpi("complaints", std::to_string(t.complaint));
  if (a.delay_percentile(0.5) >= 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3gs / %.3gs", a.delay_percentile(0.5),
                  a.delay_percentile(0.99));
    kpi("delay p50 / p99", buf);
  }
  if (a.inbound.attempts) kpi("inbound rejections", std::to_string(a.inbound.attempts));
  s << "</div>\n<h2>Findings</h2>\n";
  if (report.clean()) s << "<p class=\"clean\">No problems found: every check passed.</p>\n";
  for (const Finding& f : report.findings) {
    s << "<section class=\"finding " << to_string(f.severity) << "\" id=\"" << esc(f.id) << "\">"
      << "<p><span class=\"sev\">" << to_string(f.severity) << "</span><b>" << esc(f.title)
      << "</b></p>";
    if (!f.detail.empty()) s << "<p>" << esc(f.detail) << "</p>";
    s << "<p><b>Action (" << to_string(f.action) << "):</b> " << esc(f.recommendation) << "</p>";
    if (!f.evidence.empty()) {
      s << "<table><tr><th>evidence</th><th>value</th></tr>";
      for (const auto& [k, v] : f.evidence) {
        const bool rate = k.ends_with("rate") || k.starts_with("share");  // see report-schema.md
        s << "<tr><td>" << esc(k) << "</td><td>"
          << (rate ? report::percent(v) : std::to_string(static_cast<long long>(v)))
          << "</td></tr>";
      }
      s << "</table>";
    }
    if (!f.examples.empty()) {
      s << "<table><tr><th>where</th><th>recipient</th><th>reply</th></tr>";
      for (const Example& e : f.examples)
        s << "<tr><td><code>" << esc(e.file) << ':' << e.line << "</code></td><td>"
          << esc(e.recipient) << "</td><td>" << esc(e.text) << "</td></tr>";
      s << "</table>";
    }
    s << "</section>\n";
  }

  s << "<h2>Outcomes over time, by provider</h2>\n";
  if (!a.by_hour.empty()) {
    const std::int64_t first = a.by_hour.begin()->first, last = a.by_hour.rbegin()->first;
    s << time_chart("all providers", a.by_hour, first, last);
    std::vector<std::pair<std::string, std::uint64_t>> providers;
    for (const auto& [p, c] : a.by_provider) providers.emplace_back(p, c.attempts);
    std::sort(providers.begin(), providers.end(),
              [](const auto& x, const auto& y) { return x.second > y.second; });
    for (std::size_t i = 0; i < providers.size() && i < 6; ++i)
      if (const auto it = a.by_provider_hour.find(providers[i].first);
          it != a.by_provider_hour.end())
        s << time_chart(providers[i].first, it->second, first, last);
  } else {
    s << "<p>No timestamps in the input.</p>";
  }

  s << "<h2>Failure reasons by provider</h2>\n";
  {
    std::vector<std::string> reasons;  // most frequent first: stable colours across rows
    for (const auto& [r, n] : a.by_reason) reasons.push_back(r);
    std::stable_sort(reasons.begin(), reasons.end(),
                     [&](const std::string& x, const std::string& y) {
                       return a.by_reason.at(x) > a.by_reason.at(y);
                     });
    std::vector<BarRow> rows(a.by_provider_reason.begin(), a.by_provider_reason.end());
    if (rows.empty())
      s << "<p>No failures.</p>";
    else
      s << stacked_bars("Failed attempts by provider and reason", rows, reasons);
  }
  s << "<h2>Where failures happen (SMTP stage)</h2>\n";
  {
    std::vector<BarRow> rows;
    for (const auto& [stage, c] : a.by_stage)
      rows.push_back(
          {stage, {{"bounced", c.bounced}, {"deferred", c.deferred}, {"expired", c.expired}}});
    s << stacked_bars("Failed attempts by stage", rows, {"bounced", "deferred", "expired"});
  }
  s << "<h2>Providers</h2><table><tr><th>provider</th><th>attempts</th><th>delivered</th>"
    << "<th>deferred</th><th>bounced</th><th>expired</th><th>bounce rate</th></tr>";
  for (const auto& [p, c] : a.by_provider)
    s << "<tr><td>" << esc(p) << "</td><td>" << c.attempts << "</td><td>" << c.delivered
      << "</td><td>" << c.deferred << "</td><td>" << c.bounced << "</td><td>" << c.expired
      << "</td><td>" << report::percent(c.bounce_rate()) << "</td></tr>";
  s << "</table>\n</body></html>\n";
  return s.str();
}

}  // namespace bounce
