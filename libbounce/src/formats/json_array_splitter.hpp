// Splits one top-level JSON array, as its text arrives in pieces, into the
// texts of its elements, so that a large array export (a webhook dump, an
// API page saved to a file) is parsed element by element in bounded memory.
// It follows strings and nesting only; each element's own syntax is left to
// the JSON parser.

#ifndef BOUNCE_SRC_FORMATS_JSON_ARRAY_SPLITTER_HPP_
#define BOUNCE_SRC_FORMATS_JSON_ARRAY_SPLITTER_HPP_

#include <string>
#include <string_view>

namespace bounce::formats {

class JsonArraySplitter {
 public:
  /// Feeds the next piece of the text; calls on_element(text) for each
  /// element it completes (the text is valid during the call only).
  template <class OnElement>
  void add(std::string_view text, OnElement&& on_element) {
    for (const char c : text) {
      switch (state_) {
        case State::before:  // up to the opening '['
          if (c == '[')
            state_ = State::between;
          else if (!is_space(c))
            junk_ = true;
          break;
        case State::between:  // between elements: spaces, commas, or the end
          if (c == ']')
            state_ = State::after;
          else if (!is_space(c) && c != ',')
            state_ = State::inside, depth_ = 0, in_string_ = escape_ = false, take(c, on_element);
          break;
        case State::inside:
          take(c, on_element);
          break;
        case State::after:
          if (!is_space(c)) junk_ = true;
          break;
      }
    }
  }
  /// True when the array was closed, nothing but spaces came after it and
  /// nothing came before it: the input was one whole array.
  bool complete() const noexcept { return state_ == State::after && !junk_; }

 private:
  static bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  template <class OnElement>
  void take(char c, OnElement& on_element) {
    if (in_string_) {
      element_.push_back(c);
      if (escape_)
        escape_ = false;
      else if (c == '\\')
        escape_ = true;
      else if (c == '"')
        in_string_ = false;
      return;
    }
    if (depth_ == 0 && (c == ',' || c == ']')) {  // the end of a scalar element
      flush(on_element);
      state_ = c == ']' ? State::after : State::between;
      return;
    }
    element_.push_back(c);
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if ((c == '}' || c == ']') && --depth_ == 0) {
      flush(on_element);
      state_ = State::between;
    }
  }

  template <class OnElement>
  void flush(OnElement& on_element) {
    on_element(std::string_view(element_));
    element_.clear();
  }

  enum class State { before, between, inside, after };
  State state_ = State::before;
  int depth_ = 0;
  bool in_string_ = false, escape_ = false, junk_ = false;
  std::string element_;  // the element being read
};

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_JSON_ARRAY_SPLITTER_HPP_
