// libbounce._core: the thin pybind11 layer over the C++ library. It converts
// inputs once, releases the GIL for the real work, and returns columns built
// from interned strings (one Python object per distinct value, not per row).
// The public Python API is the façade in libbounce/__init__.py.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "arrow_batch.hpp"
#include "bounce/bounce.hpp"
#include "classification_fields.hpp"
#include "cli.hpp"
#include "record_fields.hpp"

namespace py = pybind11;

namespace {

// Python str objects for each enum value, created once.
template <class E>
const std::vector<py::str>& interned() {
  static const std::vector<py::str> values = [] {
    std::vector<py::str> out;
    for (E v : bounce::all_values<E>()) out.emplace_back(std::string(bounce::to_string(v)));
    return out;
  }();
  return values;
}
template <class E>
py::str name_of(E v) {
  return interned<E>()[static_cast<std::size_t>(v)];
}

py::object code_or_none(int code) { return code ? py::object(py::int_(code)) : py::none(); }
py::object enhanced_or_none(const bounce::EnhancedCode& e) {
  return e.valid() ? py::object(py::str(e.to_string())) : py::none();
}

// One verdict as a tuple in classification_columns() order.
py::tuple to_tuple(const bounce::Classification& c) {
  return py::make_tuple(code_or_none(c.reply_code), enhanced_or_none(c.enhanced),
                        name_of(c.bounce_type), c.suppress_recipient, name_of(c.reason),
                        py::str(std::string(c.detail)), name_of(c.action), name_of(c.stage),
                        name_of(c.provider), py::str(std::string(c.rule.id)),
                        py::str(std::string(c.rule.source)));
}

// Reads an optional per-row column: None, a scalar repeated, or a sequence of n.
std::vector<std::string> string_column(const py::object& obj, std::size_t n, const char* name) {
  std::vector<std::string> out(n);
  if (obj.is_none()) return out;
  if (py::isinstance<py::str>(obj)) {
    std::fill(out.begin(), out.end(), obj.cast<std::string>());
    return out;
  }
  const py::sequence seq = py::reinterpret_borrow<py::sequence>(py::list(obj));
  if (seq.size() != n)
    throw py::value_error(std::string(name) + " has " + std::to_string(seq.size()) +
                          " items, texts has " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i)
    if (!seq[i].is_none()) out[i] = py::str(seq[i]).cast<std::string>();
  return out;
}

std::vector<int> int_column(const py::object& obj, std::size_t n) {
  std::vector<int> out(n, 0);
  if (obj.is_none()) return out;
  if (py::isinstance<py::int_>(obj)) {
    std::fill(out.begin(), out.end(), obj.cast<int>());
    return out;
  }
  const py::list seq(obj);
  if (seq.size() != n)
    throw py::value_error("codes has " + std::to_string(seq.size()) + " items, texts has " +
                          std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) {
    const py::handle v = seq[i];
    if (v.is_none()) continue;
    // Accepts ints, numpy ints and floats, with NaN (pandas missing) as "no code".
    const double d = py::reinterpret_steal<py::object>(PyNumber_Float(v.ptr())).cast<double>();
    if (d == d) out[i] = static_cast<int>(d);
  }
  return out;
}

class PyClassifier {
 public:
  PyClassifier(std::vector<std::string> rule_files, bool cache) {
    bounce::ClassifierOptions o;
    o.rule_files = std::move(rule_files);
    o.cache = cache;
    classifier_ = std::make_unique<bounce::Classifier>(std::move(o));
  }

  py::tuple classify(const std::string& text, int code, const std::string& enhanced,
                     const std::string& phase, const std::string& host,
                     const std::string& domain) const {
    bounce::Classification c;
    {
      py::gil_scoped_release release;
      c = classifier_->classify(code, enhanced, text,
                                {.phase = phase, .remote_host = host, .recipient_domain = domain});
    }
    return to_tuple(c);
  }

  py::dict classify_many(const py::object& texts, const py::object& codes,
                         const py::object& enhanced, const py::object& phases,
                         const py::object& hosts, const py::object& domains) const {
    std::vector<std::string> text;
    for (const py::handle t : texts)
      text.push_back(t.is_none() ? std::string() : py::str(t).cast<std::string>());
    const std::size_t n = text.size();
    const auto code = int_column(codes, n);
    const auto enh = string_column(enhanced, n, "enhanced");
    const auto phase = string_column(phases, n, "phases");
    const auto host = string_column(hosts, n, "hosts");
    const auto domain = string_column(domains, n, "domains");
    std::vector<bounce::Classification> out(n);
    {
      py::gil_scoped_release release;
      for (std::size_t i = 0; i < n; ++i)
        out[i] = classifier_->classify(
            code[i], enh[i], text[i],
            {.phase = phase[i], .remote_host = host[i], .recipient_domain = domain[i]});
    }
    const auto& names = bounce::cli::classification_columns();
    std::vector<py::list> cols;
    for (std::size_t k = 0; k < names.size(); ++k) cols.emplace_back(n);
    for (std::size_t i = 0; i < n; ++i) {
      const py::tuple row = to_tuple(out[i]);
      for (std::size_t k = 0; k < names.size(); ++k) cols[k][i] = row[k];
    }
    py::dict result;
    for (std::size_t k = 0; k < names.size(); ++k) result[py::str(std::string(names[k]))] = cols[k];
    return result;
  }

  int pattern_count() const { return static_cast<int>(classifier_->pattern_count()); }

 private:
  std::unique_ptr<bounce::Classifier> classifier_;
};

// The records of a read, as Arrow record batches, plus its statistics. It is
// what read_log and scan hand to pyarrow/polars/DuckDB: any consumer of the
// Arrow PyCapsule stream interface (__arrow_c_stream__) can take it.
class RecordStream {
 public:
  std::vector<std::shared_ptr<bounce::python::RecordBatchBuilder::Batch>> batches;
  bounce::ParseStats stats;
  std::vector<std::tuple<std::string, std::uint64_t, std::string, std::string>> errors;

  py::capsule arrow_c_stream(const py::object& /*requested_schema*/) const {
    auto* stream = new ArrowArrayStream{};
    bounce::python::export_stream(batches, stream);
    return py::capsule(stream, "arrow_array_stream", [](PyObject* cap) {
      auto* s = static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(cap, "arrow_array_stream"));
      if (s && s->release) s->release(s);
      delete s;
    });
  }

  py::capsule arrow_c_schema() const {
    auto* schema = new ArrowSchema{};
    bounce::python::export_schema(schema);
    return py::capsule(schema, "arrow_schema", [](PyObject* cap) {
      auto* s = static_cast<ArrowSchema*>(PyCapsule_GetPointer(cap, "arrow_schema"));
      if (s && s->release) s->release(s);
      delete s;
    });
  }

  py::dict stats_dict() const {
    py::dict d;
    d["lines"] = stats.lines;
    d["parsed"] = stats.parsed;
    d["ignored"] = stats.ignored;
    d["unparsed"] = stats.unparsed;
    d["bytes"] = stats.bytes;
    d["records"] = stats.records;
    d["evicted_messages"] = stats.evicted_messages;
    py::dict programs;
    for (const auto& [name, c] : stats.by_program) {
      py::dict one;
      one["parsed"] = c.parsed;
      one["ignored"] = c.ignored;
      one["unparsed"] = c.unparsed;
      programs[py::str(name)] = one;
    }
    d["by_program"] = programs;
    py::list errs;
    for (const auto& [file, line, problem, text] : errors) {
      // The line may hold any bytes: decode leniently.
      const auto decoded = py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
      errs.append(py::make_tuple(file, line, problem, decoded));
    }
    d["errors"] = errs;
    return d;
  }
};

// (kind, name, data) tuples from the Python side into InputSources; memory
// inputs stay referenced in `keep_alive` while they are read.
std::vector<bounce::InputSource> to_sources(const py::list& inputs,
                                            std::vector<py::bytes>& keep_alive) {
  std::vector<bounce::InputSource> sources;
  keep_alive.reserve(inputs.size());  // the views below point into these objects
  for (const py::handle item : inputs) {
    const auto t = item.cast<py::tuple>();
    const auto kind = t[0].cast<std::string>();
    const auto name = t[1].cast<std::string>();
    if (kind == "memory") {
      keep_alive.push_back(t[2].cast<py::bytes>());
      char* data = nullptr;
      Py_ssize_t size = 0;
      PyBytes_AsStringAndSize(keep_alive.back().ptr(), &data, &size);
      sources.push_back(bounce::InputSource::memory(
          name, std::string_view(data, static_cast<std::size_t>(size))));
    } else if (kind == "stdin") {
      sources.push_back(bounce::InputSource::standard_input());
    } else {
      sources.push_back(bounce::InputSource::file(name));
    }
  }
  return sources;
}

// ReaderOptions from read_log's arguments; ValueError for a bad value.
bounce::ReaderOptions reader_options(const std::string& format, const std::string& view, int year,
                                     const std::string& tz, unsigned threads,
                                     const std::string& on_error) {
  bounce::ReaderOptions o;
  if (format != "auto") {
    const auto f = bounce::from_string<bounce::Format>(format);
    if (!f) throw py::value_error("unknown format '" + format + "'");
    o.format = f;
  }
  if (view != "final" && view != "attempts")
    throw py::value_error("view must be 'final' or 'attempts', not '" + view + "'");
  if (on_error != "count" && on_error != "collect" && on_error != "raise")
    throw py::value_error("on_error must be 'count', 'collect' or 'raise', not '" + on_error + "'");
  o.view = view == "final" ? bounce::View::final : bounce::View::attempts;
  o.year = year;
  o.tz = tz;
  o.threads = threads;
  o.strict = on_error == "raise";
  return o;
}

std::unique_ptr<bounce::Classifier> make_classifier(std::vector<std::string> rule_files) {
  bounce::ClassifierOptions copt;
  copt.rule_files = std::move(rule_files);
  return std::make_unique<bounce::Classifier>(copt);
}

// Reads inputs into a RecordStream with the GIL released. `inputs` holds
// (kind, name, data) tuples: kind "file", "stdin" or "memory" (data: bytes).
std::unique_ptr<RecordStream> read_records(const py::list& inputs, const std::string& format,
                                           const std::string& view, int year, const std::string& tz,
                                           unsigned threads, const std::string& on_error,
                                           std::vector<std::string> rule_files,
                                           std::size_t batch_size, const py::object& progress) {
  std::vector<py::bytes> keep_alive;
  const std::vector<bounce::InputSource> sources = to_sources(inputs, keep_alive);
  bounce::ReaderOptions o = reader_options(format, view, year, tz, threads, on_error);
  auto out = std::make_unique<RecordStream>();
  if (on_error == "collect")
    o.on_diagnostic = [&out](const bounce::Diagnostic& d) {
      out->errors.emplace_back(std::string(d.file), d.line, std::string(d.problem),
                               std::string(d.text));
    };
  if (!progress.is_none())
    o.on_progress = [&progress](std::uint64_t done, std::uint64_t total) {
      py::gil_scoped_acquire gil;
      progress(done, total);
    };
  const auto classifier = make_classifier(std::move(rule_files));
  o.classifier = classifier.get();
  {
    py::gil_scoped_release release;
    bounce::Reader reader(o);
    bounce::python::RecordBatchBuilder builder;
    out->stats = reader.read(sources, [&](const bounce::Record& r) {
      builder.append(r);
      if (builder.rows() >= batch_size) out->batches.push_back(builder.finish());
    });
    if (builder.rows() > 0 || out->batches.empty()) out->batches.push_back(builder.finish());
  }
  return out;
}

// A followed log (libbounce.follow), read on a background thread that never
// touches Python: the records of the lines that arrived are handed over in
// batches as they come. stop() ends following; what is pending (View::final)
// still comes out before take() reports the end.
class FollowReader {
 public:
  FollowReader(const std::string& path, const std::string& format, const std::string& view,
               int year, const std::string& tz, std::vector<std::string> rule_files, double poll_s,
               std::size_t batch_size)
      : classifier_(make_classifier(std::move(rule_files))), batch_size_(batch_size) {
    bounce::ReaderOptions o = reader_options(format, view, year, tz, 1, "count");
    o.classifier = classifier_.get();
    o.follow = true;
    o.follow_poll = std::chrono::milliseconds(std::max<long long>(1, std::llround(poll_s * 1000)));
    o.keep_following = [this] { return !stop_.load(); };
    o.on_progress = [this](std::uint64_t, std::uint64_t) { hand_over(); };  // after each chunk
    reader_ = std::make_unique<bounce::Reader>(o);  // validates the options here, not later
    thread_ = std::thread([this, path] { run(path); });
  }
  ~FollowReader() { join(); }
  FollowReader(const FollowReader&) = delete;
  FollowReader& operator=(const FollowReader&) = delete;

  void stop() { stop_ = true; }

  // The records that arrived (a RecordStream), None when none did within
  // timeout_s; raises StopIteration at the end, or the reading error.
  py::object take(double timeout_s) {
    std::vector<std::shared_ptr<bounce::python::RecordBatchBuilder::Batch>> batches;
    bool finished = false;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::duration<double>(std::max(0.0, timeout_s)),
                   [this] { return !pending_.empty() || finished_; });
      batches.swap(pending_);
      finished = finished_;
    }
    if (!batches.empty()) {
      auto out = std::make_unique<RecordStream>();
      out->batches = std::move(batches);
      return py::cast(std::move(out));
    }
    if (!finished) return py::none();
    join();
    if (error_) std::rethrow_exception(error_);
    throw py::stop_iteration();
  }

  py::dict stats() const {
    RecordStream s;
    std::lock_guard lock(mutex_);
    s.stats = stats_;
    return s.stats_dict();
  }

 private:
  // The reading thread's: hands the rows built so far over to take().
  void hand_over() {
    if (builder_.rows() == 0) return;
    auto batch = builder_.finish();
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(batch));
    cv_.notify_all();
  }

  void run(const std::string& path) {
    try {
      const bounce::ParseStats stats = reader_->read_file(path, [&](const bounce::Record& r) {
        builder_.append(r);
        if (builder_.rows() >= batch_size_) hand_over();
      });
      hand_over();
      std::lock_guard lock(mutex_);
      stats_ = stats;
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    cv_.notify_all();
  }

  void join() {
    stop_ = true;
    if (!thread_.joinable()) return;
    py::gil_scoped_release release;
    thread_.join();
  }

  std::unique_ptr<bounce::Classifier> classifier_;
  std::unique_ptr<bounce::Reader> reader_;
  bounce::python::RecordBatchBuilder builder_;  // used by the reading thread only
  std::size_t batch_size_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<bounce::python::RecordBatchBuilder::Batch>> pending_;
  bounce::ParseStats stats_;
  std::exception_ptr error_;
  bool finished_ = false;
  std::thread thread_;
};

// The report of records given as columns (a DataFrame's), in
// record_columns() names; missing columns are empty. Returns (json, text, html).
py::tuple report_from_columns(const py::dict& columns, std::size_t rows) {
  const auto col = [&](const char* name) -> std::vector<std::string> {
    std::vector<std::string> out(rows);
    if (!columns.contains(name)) return out;
    const py::list values(columns[name]);
    for (std::size_t i = 0; i < rows && i < values.size(); ++i) {
      const py::handle v = values[i];
      if (v.is_none()) continue;
      if (py::isinstance<py::float_>(v) && std::isnan(v.cast<double>())) continue;
      out[i] = py::str(v).cast<std::string>();
    }
    return out;
  };
  const auto recipient = col("recipient"), sender = col("sender"), outcome = col("outcome"),
             reason = col("reason"), bounce_type = col("bounce_type"), stage = col("stage"),
             provider = col("provider"), detail = col("detail"), reply_text = col("reply_text"),
             diagnostic = col("diagnostic"), file = col("file"), line = col("line"),
             notification = col("notification"), probe = col("probe"),
             sending_ip = col("sending_ip"), delay = col("delay_s"),
             suppress = col("suppress_recipient"), rule = col("rule");
  std::vector<std::int64_t> times(rows, 0);
  if (columns.contains("time")) {
    // datetime64[us] values as integers (the caller passes them so).
    const py::list values(columns["time"]);
    for (std::size_t i = 0; i < rows && i < values.size(); ++i)
      if (!values[i].is_none()) times[i] = values[i].cast<std::int64_t>();
  }
  bounce::Aggregate agg;
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < rows; ++i) {
      bounce::Record r;
      r.recipient = recipient[i];
      r.sender = sender[i];
      r.outcome =
          bounce::from_string<bounce::Outcome>(outcome[i]).value_or(bounce::Outcome::unknown);
      r.classification.reason =
          bounce::from_string<bounce::Reason>(reason[i]).value_or(bounce::Reason::unknown);
      r.classification.bounce_type = bounce::from_string<bounce::BounceType>(bounce_type[i])
                                         .value_or(bounce::BounceType::unknown);
      r.classification.stage =
          bounce::from_string<bounce::Stage>(stage[i]).value_or(bounce::Stage::unknown);
      r.classification.provider =
          bounce::from_string<bounce::Provider>(provider[i]).value_or(bounce::Provider::unknown);
      r.classification.detail = detail[i];
      r.classification.rule.id = rule[i];
      r.classification.suppress_recipient = suppress[i] == "True" || suppress[i] == "true";
      r.reply_text = reply_text[i];
      r.diagnostic = diagnostic[i];
      r.file = file[i];
      r.line = line[i].empty() ? 0 : std::stoull(line[i]);
      r.notification = notification[i] == "True" || notification[i] == "true";
      r.probe = probe[i] == "True" || probe[i] == "true";
      r.sending_ip = sending_ip[i];
      r.delay_s = delay[i].empty() ? -1 : std::stod(delay[i]);
      r.time_us = times[i];
      r.has_time = times[i] != 0;
      agg.add(r);
    }
  }
  const bounce::Report report = bounce::diagnose(agg);
  return py::make_tuple(bounce::render_json(report), bounce::render_text(report, false),
                        bounce::render_html(report));
}

// The report of inputs read with the attempts view. Returns (json, text, html).
py::tuple report_from_inputs(const py::list& inputs, const std::string& format, int year,
                             const std::string& tz, std::vector<std::string> rule_files) {
  std::vector<py::bytes> keep_alive;
  const std::vector<bounce::InputSource> sources = to_sources(inputs, keep_alive);
  // Every attempt: deferral rates need them. An unknown format is a ValueError.
  bounce::ReaderOptions o = reader_options(format, "attempts", year, tz, 1, "count");
  const auto classifier = make_classifier(std::move(rule_files));
  o.classifier = classifier.get();
  bounce::Aggregate agg;
  {
    py::gil_scoped_release release;
    bounce::Reader(o).read(sources, [&](const bounce::Record& r) { agg.add(r); });
  }
  const bounce::Report report = bounce::diagnose(agg);
  return py::make_tuple(bounce::render_json(report), bounce::render_text(report, false),
                        bounce::render_html(report));
}

template <class E>
py::tuple names() {
  py::tuple t(interned<E>().size());
  for (std::size_t i = 0; i < interned<E>().size(); ++i) t[i] = interned<E>()[i];
  return t;
}

template <class E>
py::dict descriptions() {
  py::dict d;
  for (E v : bounce::all_values<E>()) d[name_of(v)] = py::str(std::string(bounce::describe(v)));
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "libbounce native core (private; use the libbounce package)";
  // Exceptions are defined in Python (libbounce/_errors.py) so that they can
  // derive from both libbounce.Error and the matching builtin.
  const py::module_ errors = py::module_::import("libbounce._errors");
  static py::object rule_error = errors.attr("RuleError");
  static py::object input_error = errors.attr("InputError");
  static py::object base_error = errors.attr("Error");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const bounce::RuleError& e) {
      PyErr_SetString(rule_error.ptr(), e.what());
    } catch (const bounce::InputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    } catch (const bounce::Error& e) {
      PyErr_SetString(base_error.ptr(), e.what());
    }
  });

  py::class_<PyClassifier>(m, "Classifier")
      .def(py::init<std::vector<std::string>, bool>(), py::arg("rule_files"), py::arg("cache"))
      .def("classify", &PyClassifier::classify, py::arg("text"), py::arg("code"),
           py::arg("enhanced"), py::arg("phase"), py::arg("host"), py::arg("domain"))
      .def("classify_many", &PyClassifier::classify_many, py::arg("texts"), py::arg("codes"),
           py::arg("enhanced"), py::arg("phases"), py::arg("hosts"), py::arg("domains"))
      .def_property_readonly("pattern_count", &PyClassifier::pattern_count);

  py::class_<RecordStream>(m, "RecordStream")
      .def("__arrow_c_stream__", &RecordStream::arrow_c_stream,
           py::arg("requested_schema") = py::none())
      .def("__arrow_c_schema__", &RecordStream::arrow_c_schema)
      .def_property_readonly("stats", &RecordStream::stats_dict)
      .def_property_readonly("num_batches", [](const RecordStream& s) { return s.batches.size(); });
  py::class_<FollowReader>(m, "FollowReader")
      .def(py::init<const std::string&, const std::string&, const std::string&, int,
                    const std::string&, std::vector<std::string>, double, std::size_t>(),
           py::arg("path"), py::arg("format"), py::arg("view"), py::arg("year"), py::arg("tz"),
           py::arg("rule_files"), py::arg("poll_interval"), py::arg("batch_size"))
      .def("take", &FollowReader::take, py::arg("timeout"))
      .def("stop", &FollowReader::stop)
      .def_property_readonly("stats", &FollowReader::stats);
  m.def("report_from_inputs", &report_from_inputs, py::arg("inputs"), py::arg("format"),
        py::arg("year"), py::arg("tz"), py::arg("rule_files"));
  m.def("report_from_columns", &report_from_columns, py::arg("columns"), py::arg("rows"));
  m.def("read_records", &read_records, py::arg("inputs"), py::arg("format"), py::arg("view"),
        py::arg("year"), py::arg("tz"), py::arg("threads"), py::arg("on_error"),
        py::arg("rule_files"), py::arg("batch_size"), py::arg("progress"));
  m.attr("RECORD_COLUMNS") = [] {
    py::list l;
    for (auto c : bounce::cli::record_columns()) l.append(py::str(std::string(c)));
    return py::tuple(l);
  }();
  m.attr("CLASSIFICATION_COLUMNS") = [] {
    py::list l;
    for (auto c : bounce::cli::classification_columns()) l.append(py::str(std::string(c)));
    return py::tuple(l);
  }();
  m.attr("BOUNCE_TYPES") = names<bounce::BounceType>();
  m.attr("REASONS") = names<bounce::Reason>();
  m.attr("ACTIONS") = names<bounce::Action>();
  m.attr("STAGES") = names<bounce::Stage>();
  m.attr("PROVIDERS") = names<bounce::Provider>();
  py::dict all;
  all["bounce_type"] = descriptions<bounce::BounceType>();
  all["reason"] = descriptions<bounce::Reason>();
  all["action"] = descriptions<bounce::Action>();
  all["stage"] = descriptions<bounce::Stage>();
  all["provider"] = descriptions<bounce::Provider>();
  m.attr("DESCRIPTIONS") = all;
  m.attr("__version__") = std::string(bounce::version());

  m.def(
      "split_reply",
      [](const std::string& raw) {
        const bounce::ReplyParts p = bounce::split_reply(raw);
        return py::make_tuple(code_or_none(p.reply_code), enhanced_or_none(p.enhanced),
                              std::string(p.text));
      },
      py::arg("raw"));
  m.def("normalize_reply", &bounce::normalize_reply, py::arg("text"));
  m.def(
      "order_rotated",
      [](const std::vector<std::string>& paths) {
        std::vector<std::string> out;
        for (const auto& s : bounce::order_rotated(paths)) out.push_back(s.name);
        return out;
      },
      py::arg("paths"));
  m.def(
      "cli_main",
      [](const std::vector<std::string>& args) {
        py::gil_scoped_release release;
        const int code = bounce::cli::run(args, std::cin, std::cout, std::cerr);
        std::cout.flush();
        return code;
      },
      py::arg("args"));
}
