#pragma once
// Making untrusted text safe for XML, HTML and JSON output. Private to reports/.
#include <string>
#include <string_view>

namespace mpcheck::reports::detail {

// Valid UTF-8 with every XML 1.0-invalid code point and every invalid UTF-8 sequence removed
// (XML allows #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF).
std::string xml_text(std::string_view s);

// Valid UTF-8 for JSON: invalid sequences become U+FFFD (the JSON writer escapes controls).
std::string json_text(std::string_view s);

// HTML text and attribute content: & < > " ' escaped, invalid UTF-8 shown as U+FFFD, CR
// dropped, other control characters shown as their Unicode control pictures (U+2400...).
std::string html_text(std::string_view s);

// Terminal text: valid UTF-8 (invalid sequences become U+FFFD) with C0 and C1 control
// characters and DEL shown as '?', so nothing from an artifact or a registry can drive the
// terminal (escape sequences, carriage returns that overwrite a line).
std::string terminal_text(std::string_view s);

// Seconds with millisecond precision, "1.250", as JUnit and the HTML report show them.
std::string format_seconds(double seconds);

}  // namespace mpcheck::reports::detail
