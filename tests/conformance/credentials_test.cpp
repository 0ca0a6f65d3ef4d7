#include "mpcheck/conformance/credentials.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace mpcheck::conformance;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-cred-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text, bool exec = false) {
    fs::path p = path / name;
    std::ofstream(p) << text;
    if (exec) chmod(p.c_str(), 0755);
    return p.string();
  }
};

}  // namespace

TEST(Base64, RoundTripAndPadding) {
  EXPECT_EQ(decode_base64("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(decode_base64("YQ=="), "a");
  EXPECT_EQ(decode_base64("YWI="), "ab");
  EXPECT_EQ(decode_base64(encode_base64(std::string("\0\xff x", 4))), std::string("\0\xff x", 4));
  EXPECT_FALSE(decode_base64("abc"));
  EXPECT_FALSE(decode_base64("a$c="));
}

TEST(Credentials, FromEnvironment) {
  unsetenv("MPCHECK_USERNAME");
  setenv("MPCHECK_PASSWORD", "p", 1);
  EXPECT_FALSE(credentials_from_env());
  setenv("MPCHECK_USERNAME", "u", 1);
  auto c = credentials_from_env();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "u");
  EXPECT_EQ(c->password, "p");
  unsetenv("MPCHECK_USERNAME");
  unsetenv("MPCHECK_PASSWORD");
}

TEST(Credentials, DockerConfigAuths) {
  TempDir dir;
  auto path = dir.write("config.json", R"({"auths":{
      "https://other.example/v1/":{"auth":"b3RoZXI6eA=="},
      "127.0.0.1:5000":{"auth":"dXNlcjpwYTpzcw=="}}})");
  auto c = credentials_from_docker_config("127.0.0.1:5000", path);
  ASSERT_TRUE(c);
  ASSERT_TRUE(*c);
  EXPECT_EQ((*c)->username, "user");
  EXPECT_EQ((*c)->password, "pa:ss");  // only the first colon separates
  auto other = credentials_from_docker_config("other.example", path);
  ASSERT_TRUE(other && *other);
  EXPECT_EQ((*other)->username, "other");
  auto none = credentials_from_docker_config("unknown:1", path);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto missing = credentials_from_docker_config("x", (dir.path / "nope.json").string());
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
  auto bad = credentials_from_docker_config("x", dir.write("bad.json", "{"));
  EXPECT_FALSE(bad);
}

TEST(Credentials, CredentialHelperGetsHostOnStdin) {
  TempDir dir;
  // The helper echoes the host it was asked about as the username, proving stdin was used.
  dir.write("docker-credential-fake",
            "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread host\n"
            "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"s3cret\"}' "
            "\"$host\" \"$host\"\n",
            true);
  dir.write("docker-credential-empty",
            "#!/bin/sh\necho 'credentials not found in native keychain'\nexit 1\n", true);
  auto path = dir.write("config.json", R"({"credHelpers":{"reg.example":"fake"},
                                           "credsStore":"empty"})");
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", (dir.path.string() + ":" + old_path).c_str(), 1);
  auto c = credentials_from_docker_config("reg.example", path);
  auto store = credentials_from_docker_config("elsewhere", path);
  auto bad_name = credentials_from_docker_config(
      "reg.example", dir.write("evil.json", R"({"credHelpers":{"reg.example":"../x"}})"));
  setenv("PATH", old_path.c_str(), 1);
  ASSERT_TRUE(c) << c.error();
  ASSERT_TRUE(*c);
  EXPECT_EQ((*c)->username, "reg.example");
  EXPECT_EQ((*c)->password, "s3cret");
  ASSERT_TRUE(store);
  EXPECT_FALSE(*store);
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().find("s3cret"), std::string::npos);
}

TEST(Credentials, ResolutionOrder) {
  TempDir dir;
  dir.write("config.json", R"({"auths":{"reg:1":{"auth":"ZmlsZTpmaWxl"}}})");
  setenv("DOCKER_CONFIG", dir.path.c_str(), 1);
  EXPECT_EQ(docker_config_path(), (dir.path / "config.json").string());
  auto from_file = resolve_credentials("reg:1", std::nullopt);
  ASSERT_TRUE(from_file && *from_file);
  EXPECT_EQ((*from_file)->username, "file");
  setenv("MPCHECK_USERNAME", "env", 1);
  setenv("MPCHECK_PASSWORD", "env", 1);
  auto from_env = resolve_credentials("reg:1", std::nullopt);
  ASSERT_TRUE(from_env && *from_env);
  EXPECT_EQ((*from_env)->username, "env");
  auto explicit_ = resolve_credentials("reg:1", Credentials{"me", "pw"});
  ASSERT_TRUE(explicit_ && *explicit_);
  EXPECT_EQ((*explicit_)->username, "me");
  unsetenv("MPCHECK_USERNAME");
  unsetenv("MPCHECK_PASSWORD");
  unsetenv("DOCKER_CONFIG");
}
