#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <expected>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "headless_chromium.hpp"
#include "mpcheck/reports/writers.hpp"
#include "prerequisite.hpp"
#include "sample_run.hpp"

namespace mpcheck::reports {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kScript = "<script>alert(1)</script>";
constexpr std::string_view kImg = "\"><img src=x onerror=alert(1)>";

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string_view::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

// The sample run with hostile strings wherever an artifact or a registry puts text.
reports::Run hostile_run() {
  reports::Run run = testing::sample_run();
  std::string evil = std::string(kScript) + std::string(kImg);
  Suite& s = run.suites[0];
  s.name = s.target = "configs/" + evil + ".json";
  Case& fail = s.cases[1];
  fail.message = "bad value " + evil;
  fail.details = "details " + evil;
  fail.findings[0].message = "finding " + evil;
  fail.findings[0].pointer = "/config/" + evil;
  fail.findings[0].spec = "javascript:alert(1)";
  fail.spec_links = {"https://example.com/\"onmouseover=alert(1)"};
  run.suites[1].cases[0].transcript[0].response += "\n" + evil;
  run.configuration["note"] = evil;
  return run;
}

std::string html(const Run& run) {
  std::ostringstream out;
  write_html(run, out);
  return out.str();
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-html-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

TEST(HtmlWriter, UntrustedTextIsEscapedInTheSource) {
  std::string page = html(hostile_run());
  EXPECT_EQ(page.find(kScript), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(occurrences(page, "<script>"), 1u);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x "
                      "onerror=alert(1)&gt;"),
            std::string::npos);
  EXPECT_EQ(page.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(page.find("href=\"https://example.com/&quot;onmouseover=alert(1)\""),
            std::string::npos);
  EXPECT_EQ(page.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(page.find("hunter2"), std::string::npos);
}

TEST(HtmlWriter, ControlCharactersShowAsControlPictures) {
  std::string page = html(testing::sample_run());
  // ESC, SOH and DEL become U+241B, U+2401, U+2421; invalid UTF-8 becomes U+FFFD.
  EXPECT_NE(page.find("decimals\xe2\x90\x9b[31m red\xe2\x90\x81\xe2\x90\xa1 bad\xef\xbf\xbd"),
            std::string::npos);
  for (unsigned char c : page)
    EXPECT_FALSE(c < 0x20 && c != '\t' && c != '\n') << "control byte " << int(c);
}

TEST(HtmlWriter, SelfContainedWithAStrictContentSecurityPolicy) {
  std::string page = html(testing::sample_run());
  auto csp =
      page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
  ASSERT_NE(csp, std::string::npos);
  std::string policy = page.substr(csp, page.find('>', csp) - csp);
  EXPECT_NE(policy.find("script-src 'sha256-"), std::string::npos);
  EXPECT_NE(policy.find("style-src 'sha256-"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  for (std::string_view external : {"<link", " src=", "@import", "url(", "@font-face"})
    EXPECT_EQ(page.find(external), std::string::npos) << external;
  for (std::string_view handler : {"onclick", "onload", "onchange", "innerHTML"})
    EXPECT_EQ(page.find(handler), std::string::npos) << handler;
  // Something failed: the filter starts ticked.
  EXPECT_NE(page.find("<input type=\"checkbox\" id=\"failed-only\" checked>"), std::string::npos);
  EXPECT_NE(page.find("<details"), std::string::npos);
}

using mpcheck::test::kChromium;

// Loads `page` in headless Chromium and returns the DOM it built (after scripts ran), or the
// reason it could not.
std::expected<std::string, std::string> rendered_dom(const std::string& page) {
  TempDir tmp;
  auto report = tmp.path / "report.html";
  std::ofstream(report) << page;
  auto dom = mpcheck::test::headless_chromium(report, "--dump-dom");
  if (dom && dom->empty()) return std::unexpected("chromium printed no DOM");
  return dom;
}

// Renders the hostile report in a real browser and looks at the DOM it built.
TEST(HtmlWriter, ChromiumRendersHostileTextAsText) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  auto rendered = rendered_dom(html(hostile_run()));
  ASSERT_TRUE(rendered) << rendered.error();
  const std::string& dom = *rendered;
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(occurrences(dom, "<script>"), 1u);  // only the report's own
  // The CSP hash let the report's own script run; nothing else did.
  EXPECT_NE(dom.find("data-script=\"ran\""), std::string::npos);
  EXPECT_NE(dom.find("id=\"verdict\""), std::string::npos);
  EXPECT_NE(dom.find("<h1>invalid</h1>"), std::string::npos);
  EXPECT_NE(dom.find("<li class=\"count-passed\">passed<b>2</b></li>"), std::string::npos);
  EXPECT_NE(dom.find("<li class=\"count-failed\">failed<b>1</b></li>"), std::string::npos);
  EXPECT_NE(dom.find("<li class=\"count-errors\">errors<b>1</b></li>"), std::string::npos);
  EXPECT_NE(dom.find("<li class=\"count-skipped\">skipped<b>1</b></li>"), std::string::npos);
  EXPECT_NE(dom.find("Authorization: &lt;redacted&gt;"), std::string::npos);
}

// The filter's script runs under the CSP: with the box ticked, the body gets the class the
// stylesheet hides passing rows by.
TEST(HtmlWriter, ChromiumRunsTheFailedOnlyFilter) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  std::string page = html(testing::sample_run());
  ASSERT_NE(page.find("<input type=\"checkbox\" id=\"failed-only\" checked>"), std::string::npos);
  auto rendered = rendered_dom(page);
  ASSERT_TRUE(rendered) << rendered.error();
  EXPECT_NE(rendered->find("<body class=\"failed-only\" data-script=\"ran\">"), std::string::npos)
      << *rendered;
}

// Defence in depth: a script that got into the page some other way is not in the CSP and
// does not run, while the report's own still does.
TEST(HtmlWriter, ChromiumBlocksScriptsTheCspDoesNotPin) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  std::string page = html(testing::sample_run());
  auto pos = page.find("</main>");
  ASSERT_NE(pos, std::string::npos);
  page.insert(pos,
              "<script>document.body.setAttribute('data-injected', '1')</script>"
              "<div id=\"handler\" onmouseover=\"x\"></div>"
              "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" id=\"img\">");
  auto rendered = rendered_dom(page);
  ASSERT_TRUE(rendered) << rendered.error();
  EXPECT_EQ(rendered->find("data-injected=\"1\""), std::string::npos);
  EXPECT_NE(rendered->find("data-script=\"ran\""), std::string::npos);
}

}  // namespace
}  // namespace mpcheck::reports
