#pragma once
// The value grammars the ModelPack prose requires and its JSON schema does not check.
// Each check returns nothing when the value is fine, or says what is wrong with it.
#include <expected>
#include <string>
#include <string_view>

namespace mpcheck {

using FormatCheck = std::expected<void, std::string>;

FormatCheck check_param_size(std::string_view value);   // "<count><scale-prefix>", e.g. "6.7B"
FormatCheck check_precision(std::string_view value);    // "float16,float8_e4m3"
FormatCheck check_rfc3339_date_time(std::string_view value);
FormatCheck check_url(std::string_view value);
FormatCheck check_spdx_expression(std::string_view value);
bool is_iso639_1_code(std::string_view code);

}  // namespace mpcheck
