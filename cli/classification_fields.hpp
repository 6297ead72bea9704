// The output columns of a Classification, in one place, so that JSONL, TSV,
// CSV and the Python/Arrow columns spell and order them the same way.

#ifndef BOUNCE_CLI_CLASSIFICATION_FIELDS_HPP_
#define BOUNCE_CLI_CLASSIFICATION_FIELDS_HPP_

#include <string>
#include <string_view>
#include <vector>

#include "bounce/classifier.hpp"
#include "json_writer.hpp"

namespace bounce::cli {

/// Column names, in output order.
const std::vector<std::string_view>& classification_columns();

/// Adds the classification's fields to a JSON object (codes as numbers/strings,
/// absent ones as null).
void add_classification(JsonObject& obj, const Classification& c);

/// The fields as text cells, in classification_columns() order ("" when absent).
std::vector<std::string> classification_cells(const Classification& c);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_CLASSIFICATION_FIELDS_HPP_
