// The output columns of a Record, in one place: JSONL, CSV and TSV (and the
// Python columns) spell and order them the same way. The classification's
// columns follow the record's own (see classification_fields.hpp).

#ifndef BOUNCE_CLI_RECORD_FIELDS_HPP_
#define BOUNCE_CLI_RECORD_FIELDS_HPP_

#include <string>
#include <string_view>
#include <vector>

#include "bounce/record.hpp"
#include "json_writer.hpp"

namespace bounce::cli {

/// All column names of a record, in output order.
const std::vector<std::string_view>& record_columns();

/// "2025-07-05T06:52:11.000000Z" for UTC microseconds.
std::string format_utc(std::int64_t micros);

/// The record as one JSON object (absent numbers as null).
void write_record_json(JsonObject& obj, const Record& r);

/// The record as text cells, in record_columns() order ("" when absent).
std::vector<std::string> record_cells(const Record& r);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_RECORD_FIELDS_HPP_
