// libbounce._core: the thin pybind11 layer over the C++ library. It converts
// inputs once, releases the GIL for the real work, and returns columns built
// from interned strings (one Python object per distinct value, not per row).
// The public Python API is the façade in libbounce/__init__.py.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <iostream>

#include "bounce/bounce.hpp"
#include "classification_fields.hpp"
#include "cli.hpp"

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
      "cli_main",
      [](const std::vector<std::string>& args) {
        py::gil_scoped_release release;
        const int code = bounce::cli::run(args, std::cin, std::cout, std::cerr);
        std::cout.flush();
        return code;
      },
      py::arg("args"));
}
